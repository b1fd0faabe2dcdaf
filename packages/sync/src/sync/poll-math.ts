/**
 * Spotify keeps this many recently played items, no more.
 *
 * @example
 * ```ts
 * const full = page.items.length >= RECENTLY_PLAYED_WINDOW;
 * ```
 */
export const RECENTLY_PLAYED_WINDOW = 50;

const HOUR = 3_600_000;

/**
 * Plays probably missed between `from` (the newest stored play) and `to` (the oldest play the
 * poll received) when the poll came back full. Two estimates bracket the truth: the rate inside
 * the batch received (a listening session: too high over idle hours) and the long-run average
 * rate (too low, since it counts only plays that were caught). With `averageRatePerHour` the
 * result is their geometric mean, otherwise the batch-rate estimate. Pure.
 *
 * @example
 * ```ts
 * estimateMissedPlays({ from: 0, to: 3_600_000, received: [3_600_000, 3_780_000, 3_960_000] }); // 19
 * estimateMissedPlays({ from: 0, to: 3_600_000, received: [3_600_000, 3_780_000, 3_960_000], averageRatePerHour: 5 }); // 9
 * ```
 */
export function estimateMissedPlays(input: {
  readonly from: number;
  readonly to: number;
  /** `endedAt` of the plays received, any order. */
  readonly received: readonly number[];
  /** Long-run plays per hour of this listener, when known. */
  readonly averageRatePerHour?: number | null | undefined;
}): number {
  const span = input.to - input.from;
  if (span <= 0 || input.received.length < 2) return 0;
  const sorted = [...input.received].sort((a, b) => a - b);
  const first = sorted[0] as number;
  const last = sorted[sorted.length - 1] as number;
  if (last <= first) return 0;
  const burst = Math.max(0, (span * (sorted.length - 1)) / (last - first) - 1);
  const average = input.averageRatePerHour;
  if (average === null || average === undefined || !(average > 0)) return Math.round(burst);
  const longRun = Math.max(0, (span * average) / HOUR - 1);
  return Math.round(Math.sqrt(burst * longRun));
}

/** Bounds of {@link recommendPollInterval}. */
export interface PollIntervalBounds {
  /** Shortest interval recommended (ms). */
  readonly minMs: number;
  /** Longest interval recommended (ms), also the answer when the rate is unknown or zero. */
  readonly maxMs: number;
}

/**
 * The poll interval that keeps a listener well inside the 50-play window: half the time the
 * listener needs to play 50 tracks at `ratePerHour`, within `bounds`. Pure.
 *
 * @example
 * ```ts
 * recommendPollInterval(20, { minMs: 120_000, maxMs: 3_600_000 }); // 3_600_000 (75 min, capped)
 * recommendPollInterval(60, { minMs: 120_000, maxMs: 3_600_000 }); // 1_500_000 (25 min)
 * ```
 */
export function recommendPollInterval(ratePerHour: number, bounds: PollIntervalBounds): number {
  if (!(ratePerHour > 0)) return bounds.maxMs;
  const ms = Math.round((0.5 * RECENTLY_PLAYED_WINDOW * HOUR) / ratePerHour);
  return Math.min(bounds.maxMs, Math.max(bounds.minMs, ms));
}

/**
 * Updates the recent play rate (plays per hour) after a poll: the larger of the rate over the
 * poll interval and the rate inside the batch received (bursts matter, since they overflow the
 * window), smoothed with the previous estimate. Pure.
 *
 * @example
 * ```ts
 * updatePlayRate({ previous: null, newPlays: [0, 180_000, 360_000], sinceMs: 600_000 }); // 20
 * ```
 */
export function updatePlayRate(input: {
  readonly previous: number | null;
  /** `endedAt` of the new plays of this poll. */
  readonly newPlays: readonly number[];
  /** Time since the previous poll (ms), or null on the first poll. */
  readonly sinceMs: number | null;
}): number | null {
  const n = input.newPlays.length;
  let observed: number | null = null;
  if (input.sinceMs !== null && input.sinceMs > 0) observed = (n * HOUR) / input.sinceMs;
  if (n >= 2) {
    const sorted = [...input.newPlays].sort((a, b) => a - b);
    const span = (sorted[n - 1] as number) - (sorted[0] as number);
    if (span > 0) observed = Math.max(observed ?? 0, ((n - 1) * HOUR) / span);
  }
  if (observed === null) return input.previous;
  if (input.previous === null) return round3(observed);
  return round3(0.7 * input.previous + 0.3 * observed);
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
