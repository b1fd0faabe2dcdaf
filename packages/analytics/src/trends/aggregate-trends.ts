import { checkSchema } from '../errors/check-schema.js';
import { z } from 'zod';
import type { ListeningProfile } from '../profile/listening-profile.js';

/** One popular item across listeners. */
export interface TrendItem {
  /** Spotify id when the profiles had one, else null. */
  id: string | null;
  name: string;
  /** For tracks, the artist. */
  artistName?: string;
  /** Listeners whose profile lists the item. Always >= k. */
  listeners: number;
  /** Summed plays of those listeners. */
  plays: number;
}

/** Popular genres, artists and tracks across many listeners, k-anonymous. */
export interface PublicTrends {
  /** Profiles aggregated. */
  listeners: number;
  k: number;
  /** Genre families by number of listeners whose profile has them at >= 5 % share. */
  genreFamilies: { family: string; listeners: number; meanShare: number }[];
  /** Top genres (each listener's top genre). */
  genres: { name: string; listeners: number }[];
  artists: TrendItem[];
  tracks: TrendItem[];
}

const optionsSchema = z.object({
  k: z.number().int().min(2),
  limit: z.number().int().min(1).max(1000).optional(),
});

/**
 * Aggregates many listeners' profiles into public trends with a k-anonymity threshold: an item
 * (genre, family, artist, track) is shown only when at least `k` distinct listeners share it, and
 * nothing is shown at all when fewer than `k` profiles are given. Counts are the only per-item
 * figures; no listener identifier is taken or returned.
 *
 * @throws AnalyticsError `INVALID_INPUT` when `k` < 2.
 * @example
 * ```ts
 * const trends = aggregateTrends(profiles, { k: 5 });
 * console.log(trends.artists.slice(0, 10));
 * ```
 */
export function aggregateTrends(
  profiles: readonly ListeningProfile[],
  options: { k: number; limit?: number },
): PublicTrends {
  checkSchema(optionsSchema, options, 'Invalid trends options');
  const { k } = options;
  const limit = options.limit ?? 50;
  const empty: PublicTrends = {
    listeners: profiles.length,
    k,
    genreFamilies: [],
    genres: [],
    artists: [],
    tracks: [],
  };
  if (profiles.length < k) return empty;

  const { families, genres, artists, tracks } = countProfiles(profiles);
  const rank = (items: Iterable<TrendItem>) => rankItems(items, k, limit);
  return {
    listeners: profiles.length,
    k,
    genreFamilies: [...families.entries()]
      .filter(([, e]) => e.listeners >= k)
      .map(([family, e]) => ({ family, listeners: e.listeners, meanShare: e.share / e.listeners }))
      .sort((a, b) => b.listeners - a.listeners || b.meanShare - a.meanShare),
    genres: [...genres.entries()]
      .filter(([, n]) => n >= k)
      .map(([name, listeners]) => ({ name, listeners }))
      .sort((a, b) => b.listeners - a.listeners || a.name.localeCompare(b.name))
      .slice(0, limit),
    artists: rank(artists.values()),
    tracks: rank(tracks.values()),
  };
}

/** Listener counts per genre family, top genre, artist and track over all profiles. */
function countProfiles(profiles: readonly ListeningProfile[]) {
  const families = new Map<string, { listeners: number; share: number }>();
  const genres = new Map<string, number>();
  const artists = new Map<string, TrendItem>();
  const tracks = new Map<string, TrendItem>();
  for (const profile of profiles) {
    for (const f of profile.genreFamilies) {
      if (f.share < 0.05) continue;
      const entry = families.get(f.family) ?? { listeners: 0, share: 0 };
      entry.listeners++;
      entry.share += f.share;
      families.set(f.family, entry);
    }
    if (profile.topGenre !== null)
      genres.set(profile.topGenre.name, (genres.get(profile.topGenre.name) ?? 0) + 1);
    const seenArtists = new Set<string>();
    for (const a of profile.topArtists) {
      const key = a.id ?? `n:${a.name.toLowerCase()}`;
      countOnce(
        artists,
        key,
        () => ({ id: a.id, name: a.name, listeners: 0, plays: 0 }),
        a.plays,
        seenArtists,
      );
    }
    const seenTracks = new Set<string>();
    for (const t of profile.topTracks) {
      const key = t.id ?? `n:${t.artistName.toLowerCase()}/${t.name.toLowerCase()}`;
      countOnce(
        tracks,
        key,
        () => ({ id: t.id, name: t.name, artistName: t.artistName, listeners: 0, plays: 0 }),
        t.plays,
        seenTracks,
      );
    }
  }
  return { families, genres, artists, tracks };
}

/** Counts one listener (and their plays) for an item, once per listener (`seen`). */
function countOnce(
  map: Map<string, TrendItem>,
  key: string,
  make: () => TrendItem,
  plays: number,
  seen: Set<string>,
): void {
  if (seen.has(key)) return;
  seen.add(key);
  const item = map.get(key) ?? make();
  item.listeners++;
  item.plays += plays;
  map.set(key, item);
}

/** Items shared by at least `k` listeners, most listeners (then plays, then name) first. */
function rankItems(items: Iterable<TrendItem>, k: number, limit: number): TrendItem[] {
  return [...items]
    .filter((i) => i.listeners >= k)
    .sort((a, b) => b.listeners - a.listeners || b.plays - a.plays || a.name.localeCompare(b.name))
    .slice(0, limit);
}
