import type { ParsedMail } from 'mailparser';
import type { MockServer } from '@spoti/mock';
import type { StartOptions } from '../src/server.js';
import { type Backend, type TestServer, startTestServer } from './helpers.js';

export const DAY = 86_400_000;

/** Fake keys that are obviously not secrets. */
export const FAKE_API_KEY = 'test-api-key-not-a-secret-0123456789abcdef';

/** A server with release mail on a mock the test controls (clock included). */
export type ReleasesTestServer = TestServer;

/** Starts the server on `backend` with `env` and release options (short SMTP backoff). */
export function startReleasesServer(
  backend: Backend,
  env: Record<string, string> = {},
  releases: StartOptions['releases'] = { mailRetry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 } },
  mockOptions: { seed?: number } = {},
): Promise<ReleasesTestServer> {
  return startTestServer(
    backend,
    {
      RELEASES_SECRET: 'not-a-secret-just-a-test-releases-key-000',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      // These suites run the release jobs by hand as the mock's clock moves; the scheduler's own
      // daily sweep would race them.
      JOBS: 'off',
      ...env,
    },
    undefined,
    { ...mockOptions, ...(releases === undefined ? {} : { start: { releases } }) },
  );
}

// The SMTP peer is the releases package's own test peer: one real SMTP server for both suites.
export {
  type Received,
  SmtpPeer,
  startSmtpPeer,
} from '../../../packages/releases/test/smtp-peer.js';

/** The `href`s of a mail's HTML part. */
export function htmlLinks(mail: ParsedMail): string[] {
  const markup = mail.html === false || mail.html === undefined ? '' : mail.html;
  return [...markup.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
}

/** The URLs of a mail's text part. */
export function textLinks(mail: ParsedMail): string[] {
  return [...(mail.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
}

/** A header of a parsed mail as text. */
export function headerText(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line ?? '';
  return line
    .replace(/\r?\n\s+/g, ' ')
    .slice(line.indexOf(':') + 1)
    .trim();
}

/** The first URL of `List-Unsubscribe` that is http(s). */
export function unsubscribeUrlOf(mail: ParsedMail): string {
  const raw = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
  const url = /<(https?:\/\/[^>]+)>/.exec(raw.replace(/\r?\n\s+/g, ''))?.[1];
  if (url === undefined) throw new Error(`no http List-Unsubscribe in ${raw}`);
  return url;
}

/** Polls `check` until it is true (a background job finished), failing after `tries`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  tries = 200,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

/** The artists a listener of the mock world follows. */
export function followedBy(mock: MockServer, userId: string): string[] {
  const user = mock.world.users.get(userId);
  if (user === undefined) throw new Error(`unknown listener ${userId}`);
  return [...user.followedArtists.keys()].sort();
}

/** `YYYY-MM-DD` of a Unix ms instant (UTC). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The instants a world album's release date covers, `[start, end)` in UTC, computed here. */
export function dateSpan(album: { releaseDate: string; releaseDatePrecision: string }): {
  start: number;
  end: number;
} {
  const [y, m, d] = album.releaseDate.split('-').map(Number) as [number, number?, number?];
  if (album.releaseDatePrecision === 'year')
    return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
  if (album.releaseDatePrecision === 'month')
    return { start: Date.UTC(y, (m ?? 1) - 1, 1), end: Date.UTC(y, m ?? 1, 1) };
  const start = Date.UTC(y, (m ?? 1) - 1, d ?? 1);
  return { start, end: start + DAY };
}

/**
 * Ground truth from the mock: the release groups (editions folded) a subscriber following
 * `artistIds` must get. Visible when their artists were first scanned (`firstScanAt`): those
 * dated within the four weeks before `confirmedAt` (the first digest). Appearing later, up to
 * `until`: those dated within 60 days before they appeared. Own albums and singles only.
 */
export function expectedGroups(
  mock: MockServer,
  artistIds: readonly string[],
  firstScanAt: number,
  confirmedAt: number,
  until: number,
): Set<string> {
  const followed = new Set(artistIds);
  const out = new Set<string>();
  for (const album of mock.controls.truth.releases({ artistIds })) {
    if (!followed.has(album.artistIds[0] ?? '')) continue;
    if (album.albumType === 'compilation') continue;
    if (album.releasedAtMs > until) continue;
    const span = dateSpan(album);
    if (album.releasedAtMs <= firstScanAt) {
      if (span.end <= confirmedAt - 28 * DAY || span.start >= confirmedAt) continue;
    } else if (span.end <= album.releasedAtMs - 60 * DAY) continue;
    out.add(album.releaseGroupId);
  }
  return out;
}

/** The server's user id of a mock listener (signed in at least once). */
export async function serverUserId(t: ReleasesTestServer, listenerId: string): Promise<string> {
  for (const id of await t.server.context.users.listIds()) {
    if ((await t.server.context.users.get(id))?.spotifyId === listenerId) return id;
  }
  throw new Error(`listener ${listenerId} never signed in`);
}
