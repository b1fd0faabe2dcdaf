import { localDay, localHour, monthOf, type ZoneOffsets } from '../internal/time-zone.js';
import { localTimes } from '../internal/local-times.js';
import { GENRE_FAMILIES } from '../profile/genre-family.js';
import type { AchievementId } from '../profile/listening-profile.js';
import type { GenreBook } from './genre-book.js';
import { diversityOf } from './diversity.js';
import type { PlayIndex } from './play-index.js';
import type { Achievement } from './types.js';

const HOUR_MS = 3_600_000;

/**
 * The milestones and how each is reached (the ids are a stable contract with `@spoti/face`):
 * - `hours-100`, `hours-1000`: cumulative listening time crosses 100 / 1,000 hours;
 * - `artists-500`: the 500th distinct artist is played;
 * - `night-owl`: the first local month with at least 10 hours of listening of which at least 35 %
 *   fell between 22:00 and 05:00 (reached at that month's last play);
 * - `early-bird`: the same with at least 30 % between 05:00 and 09:00;
 * - `streak-30`: the 30th consecutive local day with listening;
 * - `explorer`: at a month's end, with at least 50 hours heard, the effective number of genre
 *   families (Hill number of order 1 over listening time) reaches 7;
 * - `loyal-fan`: after at least 200 plays, one artist holds more than 25 % of all plays;
 * - `marathon`: a session (pauses under the session gap) lasting 4 hours.
 *
 * @example
 * ```ts
 * for (const a of stats.achievements) console.log(a.reachedAt.slice(0, 10), ACHIEVEMENT_LABELS[a.id as AchievementId]);
 * ```
 */
export const ACHIEVEMENT_LABELS: Readonly<Record<AchievementId, string>> = {
  'hours-100': '100 hours listened',
  'hours-1000': '1,000 hours listened',
  'artists-500': '500 artists played',
  'night-owl': 'Night owl: a month mostly after 22:00',
  'early-bird': 'Early bird: a month of early mornings',
  'streak-30': '30-day listening streak',
  explorer: 'Explorer: many genre families',
  'loyal-fan': 'Loyal fan: one artist above a quarter of all plays',
  marathon: 'Marathon: a 4-hour session',
};

interface CacheEntry {
  readonly size: number;
  readonly genresOf: unknown;
  readonly results: Map<string, Achievement[]>;
}
/** Achievements per index, reused while the index is unchanged (several periods share an end). */
const CACHE = new WeakMap<PlayIndex, CacheEntry>();

/** Achievements over `order[0..end)` (the history up to a period's end), in the order reached. */
export function computeAchievements(
  index: PlayIndex,
  order: Uint32Array,
  end: number,
  zone: ZoneOffsets,
  genres: GenreBook,
  gap: number,
): Achievement[] {
  let entry = CACHE.get(index);
  if (entry === undefined || entry.size !== index.size || entry.genresOf !== genres.genresOf) {
    entry = { size: index.size, genresOf: genres.genresOf, results: new Map() };
    CACHE.set(index, entry);
  }
  const key = `${end}|${zone.timeZone}|${gap}`;
  let result = entry.results.get(key);
  if (result === undefined) {
    result = achievementsOf(index, order, end, zone, genres, gap);
    entry.results.set(key, result);
  }
  return result.map((a) => ({ ...a }));
}

/** Milestones reached and when (the first time counts). */
class Reached {
  readonly at = new Map<AchievementId, number>();
  reach(id: AchievementId, at: number): void {
    if (!this.at.has(id)) this.at.set(id, at);
  }

  /** The milestones in the order reached. */
  list(): Achievement[] {
    return [...this.at.entries()]
      .sort((a, b) => a[1] - b[1])
      .map(([id, at]) => ({
        id,
        label: ACHIEVEMENT_LABELS[id],
        reachedAt: new Date(at).toISOString(),
      }));
  }
}

/** Where the achievements loop keeps the running figures of the current month. */
const MONTH_MS = 0;
const MONTH_NIGHT = 1;
const MONTH_MORNING = 2;
/** Written when a month closes: the total so far and the time of the month's last play. */
const TOTAL_MS = 3;
const LAST_T = 4;

/**
 * The milestones a finished month reaches, then a fresh month. Its figures come in a typed array:
 * as loop variables passed here as arguments, the compiler kept them boxed, allocating a number
 * per play and figure.
 */
function closeMonthOf(reached: Reached, month: Float64Array, familyMs: Float64Array): void {
  const monthMs = month[MONTH_MS] as number;
  const lastT = month[LAST_T] as number;
  if (monthMs !== 0) {
    const enough = monthMs >= 10 * HOUR_MS;
    if (enough && (month[MONTH_NIGHT] as number) / monthMs >= 0.35)
      reached.reach('night-owl', lastT);
    if (enough && (month[MONTH_MORNING] as number) / monthMs >= 0.3)
      reached.reach('early-bird', lastT);
    if ((month[TOTAL_MS] as number) >= 50 * HOUR_MS && diversityOf(familyMs).hill1 >= 7)
      reached.reach('explorer', lastT);
  }
  month.fill(0, MONTH_MS, MONTH_MORNING + 1);
}

/** One pass over the plays in time order, noting each milestone as it is crossed. */
function achievementsOf(
  index: PlayIndex,
  order: Uint32Array,
  end: number,
  zone: ZoneOffsets,
  genres: GenreBook,
  gap: number,
): Achievement[] {
  const reached = new Reached();
  const { endedAt, msPlayed, track, tracks } = index;
  const localAt = localTimes(index, zone);
  const familyIndex = genres.familyIndex;
  const seenArtist = new Uint8Array(index.artists.length);
  const artistPlays = new Uint32Array(index.artists.length);
  const familyMs = new Float64Array(GENRE_FAMILIES.length);
  const figures = new Float64Array(5);
  let artists = 0;
  let maxArtistPlays = 0;
  let totalMs = 0;
  let lastDay = Number.NaN;
  let run = 0;
  let month = Number.NaN;
  let lastT = 0;
  let sessionStart = 0;
  let sessionEnd = Number.NEGATIVE_INFINITY;

  for (let k = 0; k < end; k++) {
    const i = order[k] as number;
    const t = endedAt[i] as number;
    const ms = msPlayed[i] as number;
    const info = tracks[track[i] as number] as { artist: number };
    const local = localAt[i] as number;
    const day = localDay(local);
    if (day !== lastDay) {
      const m = monthOf(day);
      if (m !== month) {
        figures[TOTAL_MS] = totalMs;
        figures[LAST_T] = lastT;
        if (!Number.isNaN(month)) closeMonthOf(reached, figures, familyMs);
        month = m;
      }
      run = day === lastDay + 1 ? run + 1 : 1;
      lastDay = day;
      if (run >= 30) reached.reach('streak-30', t);
    }
    const before = totalMs;
    totalMs += ms;
    if (before < 100 * HOUR_MS && totalMs >= 100 * HOUR_MS) reached.reach('hours-100', t);
    if (before < 1000 * HOUR_MS && totalMs >= 1000 * HOUR_MS) reached.reach('hours-1000', t);
    if (seenArtist[info.artist] === 0) {
      seenArtist[info.artist] = 1;
      if (++artists === 500) reached.reach('artists-500', t);
    }
    const count = (artistPlays[info.artist] as number) + 1;
    artistPlays[info.artist] = count;
    if (count > maxArtistPlays) maxArtistPlays = count;
    if (k + 1 >= 200 && maxArtistPlays / (k + 1) > 0.25) reached.reach('loyal-fan', t);
    const hour = localHour(local);
    figures[MONTH_MS] = (figures[MONTH_MS] as number) + ms;
    if (hour >= 22 || hour < 5) figures[MONTH_NIGHT] = (figures[MONTH_NIGHT] as number) + ms;
    else if (hour >= 5 && hour < 9)
      figures[MONTH_MORNING] = (figures[MONTH_MORNING] as number) + ms;
    const ids = genres.of(info.artist);
    for (let j = 0; j < ids.length; j++) {
      const f = familyIndex[ids[j] as number] as number;
      if (f >= 0) familyMs[f] = (familyMs[f] as number) + ms / ids.length;
    }
    const start = t - ms;
    if (start - sessionEnd > gap) sessionStart = start;
    sessionEnd = Math.max(sessionEnd, t);
    if (sessionEnd - sessionStart >= 4 * HOUR_MS) reached.reach('marathon', t);
    lastT = t;
  }
  figures[TOTAL_MS] = totalMs;
  figures[LAST_T] = lastT;
  if (!Number.isNaN(month)) closeMonthOf(reached, figures, familyMs);
  return reached.list();
}
