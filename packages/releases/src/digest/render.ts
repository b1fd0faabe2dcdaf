import type { Release, ReleaseGroup } from '../domain/types.js';
import { formatReleaseDate } from '../logic/release-date.js';

/**
 * One release in a digest: which followed artist it is listed under, and in which group.
 *
 * @example
 * ```ts
 * const entry: DigestEntry = { release, artistName: release.artists[0]?.name ?? '', group: 'album' };
 * ```
 */
export interface DigestEntry {
  readonly release: Release;
  /** The followed artist's name (for `appears_on`, the artist who appears on it). */
  readonly artistName: string;
  readonly group: ReleaseGroup;
}

/**
 * Input of {@link renderDigest}.
 *
 * @example
 * ```ts
 * const input: DigestRenderInput = { recipientName: null, entries: [], periodFrom: 0, periodTo: Date.now(), timeZone: 'UTC', unsubscribeUrl: 'https://example.com/u' };
 * ```
 */
export interface DigestRenderInput {
  readonly recipientName: string | null;
  readonly entries: readonly DigestEntry[];
  /** Start and end of the period the digest covers (Unix ms). */
  readonly periodFrom: number;
  readonly periodTo: number;
  readonly timeZone: string;
  readonly unsubscribeUrl: string;
  /** Shown in the subject and heading. Default "New releases". */
  readonly title?: string;
}

/**
 * A rendered digest.
 *
 * @example
 * ```ts
 * const { subject, html, text }: RenderedDigest = renderDigest(input);
 * ```
 */
export interface RenderedDigest {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const GROUP_LABEL: Record<ReleaseGroup, string> = {
  album: 'Albums',
  single: 'Singles and EPs',
  compilation: 'Compilations',
  appears_on: 'Appears on',
};
const GROUP_ORDER: readonly ReleaseGroup[] = ['album', 'single', 'compilation', 'appears_on'];
const TYPE_LABEL = { album: 'Album', single: 'Single', compilation: 'Compilation' } as const;

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function localDate(ms: number, timeZone: string): string {
  return new Date(ms).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  });
}

/** Entries grouped by artist name (sorted), then by group, newest release first. */
function grouped(entries: readonly DigestEntry[]): [string, [ReleaseGroup, DigestEntry[]][]][] {
  const byArtist = new Map<string, Map<ReleaseGroup, DigestEntry[]>>();
  for (const entry of entries) {
    const groups = byArtist.get(entry.artistName) ?? new Map<ReleaseGroup, DigestEntry[]>();
    const list = groups.get(entry.group) ?? [];
    list.push(entry);
    groups.set(entry.group, list);
    byArtist.set(entry.artistName, groups);
  }
  return [...byArtist.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en'))
    .map(([artist, groups]) => [
      artist,
      GROUP_ORDER.filter((g) => groups.has(g)).map((g) => {
        const list = (groups.get(g) ?? []).slice();
        list.sort(
          (x, y) =>
            y.release.releaseDate.localeCompare(x.release.releaseDate) ||
            x.release.name.localeCompare(y.release.name, 'en'),
        );
        return [g, list] as [ReleaseGroup, DigestEntry[]];
      }),
    ]);
}

/**
 * Renders a digest as HTML and plain text: releases grouped by artist and by type, each with its
 * cover art (HTML), release date at its own precision, type and a link that opens it in Spotify,
 * and an unsubscribe link. Pure: the same input always gives the same output.
 *
 * @example
 * ```ts
 * const { subject, html, text } = renderDigest({
 *   recipientName: 'Ada', entries, periodFrom, periodTo, timeZone: 'Europe/Oslo',
 *   unsubscribeUrl: 'https://example.com/unsubscribe?token=...',
 * });
 * ```
 */
export function renderDigest(input: DigestRenderInput): RenderedDigest {
  const title = input.title ?? 'New releases';
  const count = input.entries.length;
  const artists = new Set(input.entries.map((e) => e.artistName)).size;
  const subject = `${title}: ${count} from ${artists} artist${artists === 1 ? '' : 's'} you follow`;
  const period = `${localDate(input.periodFrom, input.timeZone)} to ${localDate(input.periodTo, input.timeZone)}`;
  const greeting = input.recipientName ? `Hi ${input.recipientName},` : 'Hi,';
  const sections = grouped(input.entries);

  const text: string[] = [
    greeting,
    '',
    `${count} new release${count === 1 ? '' : 's'} from artists you follow (${period}).`,
  ];
  for (const [artist, groups] of sections) {
    text.push('', artist.toUpperCase());
    for (const [group, list] of groups) {
      text.push(`  ${GROUP_LABEL[group]}`);
      for (const { release } of list) {
        const date = formatReleaseDate(release.releaseDate, release.releaseDatePrecision);
        const by = release.artists.map((a) => a.name).join(', ');
        text.push(`  - ${release.name} (${TYPE_LABEL[release.type]}, ${date}) by ${by}`);
        text.push(`    Listen: ${release.url}`);
      }
    }
  }
  text.push('', `Unsubscribe: ${input.unsubscribeUrl}`, '');

  const e = escapeHtml;
  const html: string[] = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${e(subject)}</title></head>`,
    '<body style="font-family:Helvetica,Arial,sans-serif;color:#191414;max-width:640px;margin:auto">',
    `<h1 style="font-size:20px">${e(title)}</h1>`,
    `<p>${e(greeting)} ${count} new release${count === 1 ? '' : 's'} from artists you follow (${e(period)}).</p>`,
  ];
  for (const [artist, groups] of sections) {
    html.push(`<h2 style="font-size:17px;border-bottom:1px solid #ddd">${e(artist)}</h2>`);
    for (const [group, list] of groups) {
      html.push(
        `<h3 style="font-size:14px;color:#555">${e(GROUP_LABEL[group])}</h3>`,
        '<table role="presentation">',
      );
      for (const { release } of list) {
        const date = formatReleaseDate(release.releaseDate, release.releaseDatePrecision);
        const cover =
          release.imageUrl === null
            ? '<div style="width:64px;height:64px;background:#eee"></div>'
            : `<img src="${e(release.imageUrl)}" width="64" height="64" alt="Cover of ${e(release.name)}">`;
        html.push(
          `<tr><td style="padding:4px 8px 4px 0">${cover}</td><td>`,
          `<strong>${e(release.name)}</strong><br>`,
          `<span style="color:#555">${e(TYPE_LABEL[release.type])} · ${e(date)} · ${e(release.artists.map((a) => a.name).join(', '))}</span><br>`,
          `<a href="${e(release.url)}">Listen on Spotify</a></td></tr>`,
        );
      }
      html.push('</table>');
    }
  }
  html.push(
    `<p style="font-size:12px;color:#777">You get this digest every few weeks. <a href="${e(input.unsubscribeUrl)}">Unsubscribe</a></p>`,
    '</body></html>',
  );
  return { subject, html: html.join('\n'), text: text.join('\n') };
}
