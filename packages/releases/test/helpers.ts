import { type SpotifyClient, createMemoryTokenStore, createSpotifyClient } from '@spoti/client';
import { type MockOptions, type MockServer, startMock } from '@spoti/mock';
import type { World, WorldAlbum } from '@spoti/mock';

export const DAY = 86_400_000;
export const CLIENT_ID = 'releases-tests';

/** A client of the mock on the mock's clock, for `userId` (app-level when omitted: the first user). */
export function clientFor(
  mock: MockServer,
  userId?: string,
  extra: Partial<Parameters<typeof createSpotifyClient>[0]> = {},
): SpotifyClient {
  const clock = { now: () => mock.controls.clock.now() };
  const issued = mock.controls.auth.issueTokens({
    clientId: CLIENT_ID,
    ...(userId === undefined ? {} : { userId }),
  });
  return createSpotifyClient({
    apiBaseUrl: mock.apiUrl,
    accountsBaseUrl: mock.accountsUrl,
    clientId: CLIENT_ID,
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: clock.now() + issued.expires_in * 1000,
    }),
    clock,
    cache: false,
    mode: 'development',
    rateLimit: { allowance: 100_000, maxConcurrent: 8 },
    retry: { retries: 3, minTimeout: 2, maxTimeout: 10 },
    ...extra,
  });
}

export async function mockWith(options: MockOptions): Promise<MockServer> {
  return startMock({ seed: 7, profile: 'development-2026', port: 0, ...options });
}

/** End (exclusive) of the instants a world album's date covers, computed independently of the package. */
export function dateEnd(album: WorldAlbum): number {
  const [y, m, d] = album.releaseDate.split('-').map(Number) as [number, number?, number?];
  if (album.releaseDatePrecision === 'year') return Date.UTC(y + 1, 0, 1);
  if (album.releaseDatePrecision === 'month') return Date.UTC(y, m ?? 1, 1);
  return Date.UTC(y, (m ?? 1) - 1, d ?? 1) + DAY;
}

/**
 * Ground truth: release groups a subscriber following `artistIds` must get, for releases visible
 * by `until` whose date reaches past `from`. Own releases only (appears_on and compilations are
 * off by default).
 */
export function expectedGroups(
  mock: MockServer,
  artistIds: readonly string[],
  from: number,
  until: number,
  scannedAt: (artistId: string) => number = () => until,
  horizonDays = 60,
): Set<string> {
  const followed = new Set(artistIds);
  const out = new Set<string>();
  for (const album of mock.controls.truth.releases({ artistIds })) {
    if (album.releasedAtMs > until) continue;
    if (!followed.has(album.artistIds[0] ?? '')) continue;
    // Only what the watcher could have seen: visible before the artist's last scan.
    if (album.releasedAtMs > scannedAt(album.artistIds[0] ?? '')) continue;
    if (album.albumType === 'compilation') continue;
    // Visible before the first digest: dated within its window. Later: new when dated within
    // the horizon before it appeared (old albums added late count).
    if (album.releasedAtMs <= from + 28 * DAY) {
      if (dateEnd(album) <= from) continue;
    } else if (dateEnd(album) <= album.releasedAtMs - horizonDays * DAY) continue;
    out.add(album.releaseGroupId);
  }
  return out;
}

/** The world's release group of an edition id. */
export function groupOf(world: World, albumId: string): string {
  const album = world.albums.get(albumId);
  if (album === undefined) throw new Error(`unknown album ${albumId}`);
  return album.releaseGroupId;
}

let counter = 0;
/** A deterministic 22-character base62 id. */
export function fakeId(prefix: string): string {
  counter += 1;
  const body = `${prefix}${counter.toString(36)}`.replace(/[^A-Za-z0-9]/g, '');
  return `${body}${'0'.repeat(22)}`.slice(0, 22);
}

/** What {@link addRelease} inserts. */
export interface ReleaseSpec {
  readonly artistIds: readonly string[];
  readonly name: string;
  readonly type?: 'album' | 'single' | 'compilation';
  readonly releaseDate: string;
  readonly precision?: 'day' | 'month' | 'year';
  /** When it becomes visible on the mock (defaults to the date's start). */
  readonly visibleAtMs?: number;
  /** Extra editions: a Japanese market edition and/or a clean version. */
  readonly japanEdition?: boolean;
  readonly cleanVersion?: boolean;
}

/**
 * Inserts a release (and its editions) into a mock world, as the world generator would: the mock
 * has no control to schedule releases, so tests add them to the world's maps before serving it.
 */
export function addRelease(world: World, spec: ReleaseSpec): WorldAlbum[] {
  const precision = spec.precision ?? 'day';
  const [y, m, d] = spec.releaseDate.split('-').map(Number) as [number, number?, number?];
  const start = Date.UTC(y, (m ?? 1) - 1, d ?? 1);
  const groupId = fakeId('grp');
  const base: WorldAlbum = {
    id: fakeId('alb'),
    name: spec.name,
    albumType: spec.type ?? 'album',
    artistIds: spec.artistIds,
    releaseDate: spec.releaseDate,
    releaseDatePrecision: precision,
    releasedAtMs: spec.visibleAtMs ?? start,
    trackIds: [],
    upc: `0${String(counter).padStart(11, '0')}`,
    label: 'Test Records',
    popularity: 50,
    markets: spec.japanEdition ? ['US', 'GB', 'DE'] : ['US', 'GB', 'DE', 'JP'],
    releaseGroupId: groupId,
    explicit: spec.cleanVersion === true,
  };
  const out: WorldAlbum[] = [base];
  if (spec.japanEdition)
    out.push({
      ...base,
      id: fakeId('jpn'),
      markets: ['JP'],
      upc: `1${String(counter).padStart(11, '0')}`,
    });
  if (spec.cleanVersion)
    out.push({
      ...base,
      id: fakeId('cln'),
      explicit: false,
      cleanVersionOf: base.id,
      upc: `2${String(counter).padStart(11, '0')}`,
    });
  const albums = world.albums as Map<string, WorldAlbum>;
  const primary = spec.artistIds[0] as string;
  const list = world.albumsOfArtist(primary) as string[];
  for (const album of out) {
    albums.set(album.id, album);
    list.push(album.id);
  }
  list.sort((a, b) => (albums.get(a)?.releasedAtMs ?? 0) - (albums.get(b)?.releasedAtMs ?? 0));
  return out;
}

/** ISO date of a Unix ms instant, at `precision`. */
export function isoDate(ms: number, precision: 'day' | 'month' | 'year' = 'day'): string {
  const iso = new Date(ms).toISOString();
  return precision === 'day'
    ? iso.slice(0, 10)
    : precision === 'month'
      ? iso.slice(0, 7)
      : iso.slice(0, 4);
}
