import { type Catalog, generateCatalog } from './catalog.js';
import { GENRES } from './genres.js';
import { dayOf, dayStartMs, HistoryGenerator } from './history.js';
import type { World, WorldOptions, WorldPlay, WorldPlaylist } from './types.js';
import { generateUsers, type Listener } from './users.js';
import { type ResolvedWorldOptions, resolveWorldOptions } from './world-options.js';

interface HistoryCache {
  nextDay: number;
  /** Every play generated so far (whole days, so it may run past the latest `untilMs`). */
  readonly plays: WorldPlay[];
  /**
   * The last prefix handed out, shared until the asked-for prefix changes. Not frozen: V8 reads
   * frozen arrays several times slower, and the type is read-only already.
   */
  snapshot: readonly WorldPlay[];
}

function upperBoundByEnd(plays: readonly WorldPlay[], untilMs: number): number {
  let lo = 0;
  let hi = plays.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((plays[mid] as WorldPlay).endedAtMs <= untilMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The catalogue each world was built on (for releases added while a mock runs). */
const catalogs = new WeakMap<World, Catalog>();

/** The catalogue `world` was built on, when `buildWorld` built it. */
export function catalogOf(world: World): Catalog | undefined {
  return catalogs.get(world);
}

/**
 * Creates a synthetic world, deterministic from `options.seed`: a catalogue of artists, albums
 * (with market editions, clean versions and future releases) and tracks with audio features
 * around their genre's centre; users with libraries, follows and playlists; and listening
 * histories driven by personas, generated lazily day by day as time moves.
 *
 * @throws MockError with code `INVALID_OPTIONS` when the options are invalid.
 * @example
 * ```ts
 * const world = createWorld({ seed: 42, size: 'tiny' });
 * const [userId] = world.users.keys();
 * const plays = world.playsOf(userId!, world.startTimeMs);
 * ```
 */
export function createWorld(options: WorldOptions): World {
  const o = resolveWorldOptions(options);
  return buildWorld(o, generateCatalog(o.seed, o.artists, o.startTimeMs));
}

/**
 * The world of resolved options on a catalogue generated for them (same seed, artists and start
 * time), so that several worlds can share one catalogue (data exports calibrate `activity` so).
 */
export function buildWorld(o: ResolvedWorldOptions, catalog: Catalog): World {
  const playlists = new Map<string, WorldPlaylist>();
  const { users, listeners } = generateUsers(o.seed, catalog, o, playlists);
  const history = new HistoryGenerator(o.seed, catalog, o.activity);
  const caches = new Map<string, HistoryCache>();

  const listenerOf = (userId: string): Listener | undefined => listeners.get(userId);

  function playsOf(userId: string, untilMs: number): readonly WorldPlay[] {
    const listener = listenerOf(userId);
    if (listener === undefined) return [];
    let cache = caches.get(userId);
    if (cache === undefined) {
      cache = { nextDay: history.firstDay(listener), plays: [], snapshot: [] };
      caches.set(userId, cache);
    }
    const tz = listener.user.timezone;
    while (dayStartMs(tz, cache.nextDay) <= untilMs) {
      const day = history.day(listener, cache.nextDay);
      for (const play of day) cache.plays.push(play);
      cache.nextDay++;
    }
    // Asking again for the same prefix (the clock did not move) costs a binary search, no copy.
    const count = upperBoundByEnd(cache.plays, untilMs);
    if (cache.snapshot.length !== count)
      cache.snapshot =
        count === cache.plays.length ? cache.plays.slice() : cache.plays.slice(0, count);
    return cache.snapshot;
  }

  function* streamPlays(userId: string, fromMs: number, toMs: number): Generator<WorldPlay> {
    const listener = listenerOf(userId);
    if (listener === undefined || toMs < fromMs) return;
    const tz = listener.user.timezone;
    let day = Math.max(history.firstDay(listener), dayOf(tz, fromMs));
    while (dayStartMs(tz, day) <= toMs) {
      for (const play of history.day(listener, day)) {
        if (play.endedAtMs > toMs) return;
        if (play.endedAtMs >= fromMs) yield play;
      }
      day++;
    }
  }

  const world: World = {
    seed: o.seed,
    startTimeMs: o.startTimeMs,
    genres: GENRES,
    artists: catalog.artists,
    albums: catalog.albums,
    tracks: catalog.tracks,
    users,
    playlists,
    albumsOfArtist: (artistId) => catalog.albumsByArtist.get(artistId) ?? [],
    playsOf,
    streamPlays,
    isReleased: (albumId, nowMs) =>
      (catalog.albums.get(albumId)?.releasedAtMs ?? Number.POSITIVE_INFINITY) <= nowMs,
  };
  catalogs.set(world, catalog);
  return world;
}
