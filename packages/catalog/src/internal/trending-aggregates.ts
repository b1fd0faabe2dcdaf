// The SQL store keeps two aggregates of the play log for trending, written in the same
// transaction as the plays (see migrations 0002 and 0005):
//
// - trending_daily(day, track_id, album_id, artist_id): plays and
//   decay = Σ 2^((endedAt − dayStart) / H) per UTC day and subjects ('' when the play has none);
// - the all-time totals per (kind, id), columns of item_stats since 0005 (the view
//   trending_totals reads them as before): trending_plays and trending_decay =
//   Σ 2^((endedAt − ref) / H) over the plays that name a track;
//
// with H = TRENDING_HALF_LIFE_MS (the default half-life) and ref a reference instant kept in
// trending_meta. Because 2^(−(now − t)/H) = 2^(−(now − start)/H) · 2^((t − start)/H), a day that
// ends at or before `now` contributes exactly 2^(−(now − dayStart)/H) · decay, the same value the
// play-by-play formula gives (up to floating-point rounding). Partial days at the edges of a
// window, and the day that contains `now`, are read play by play.

/** One UTC day in ms. */
export const DAY_MS = 86_400_000;
/** The half-life the aggregates are computed for (the default of `trending`). */
export const TRENDING_HALF_LIFE_MS = 7 * DAY_MS;
/** The first reference instant of the all-time totals (2020-01-01T00:00Z). */
export const TRENDING_INITIAL_REF_MS = Date.UTC(2020, 0, 1);
/** Rebase the reference once a play lies this many half-lives after it (2^900 is far from overflow). */
export const REBASE_AFTER_HALF_LIVES = 900;
/** Exponents are clamped here: 2^−1000 is still a normal float8, PostgreSQL raises on underflow. */
export const MIN_EXPONENT = -1000;

/** The UTC day number of an instant. */
export function dayOf(at: number): number {
  return Math.floor(at / DAY_MS);
}

/** How a window `[from, to)` splits into whole aggregated days and play-by-play ranges. */
export interface WindowPlan {
  /** First whole day (inclusive). */
  readonly dayFrom: number;
  /** Last whole day (exclusive); `dayTo <= dayFrom` means no whole day. */
  readonly dayTo: number;
  /** Ranges `[from, to)` read from the play log. */
  readonly raw: readonly { readonly from: number; readonly to: number }[];
}

/**
 * Splits a window into the days the daily aggregate can answer exactly (inside `[from, to)` and
 * over by `now`) and the edges read play by play.
 */
export function planWindow(from: number, to: number, now: number): WindowPlan {
  const dayFrom = Math.ceil(from / DAY_MS);
  const dayTo = Math.floor(Math.min(to, now + 1) / DAY_MS);
  if (dayTo <= dayFrom) return { dayFrom, dayTo: dayFrom, raw: [{ from, to }] };
  const raw: { from: number; to: number }[] = [];
  if (from < dayFrom * DAY_MS) raw.push({ from, to: dayFrom * DAY_MS });
  if (dayTo * DAY_MS < to) raw.push({ from: dayTo * DAY_MS, to });
  return { dayFrom, dayTo, raw };
}
