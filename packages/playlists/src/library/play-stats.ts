import type { DurationSpec } from '../internal/ast.js';
import type { FieldName } from '../rule/fields.js';

export const DAY = 86_400_000;

/** Per-track play-log aggregates over one window. */
export interface PlayStats {
  readonly playCount: Int32Array;
  readonly skipCount: Int32Array;
  readonly streams: Int32Array;
  readonly msPlayed: Float64Array;
  /** NaN when never played. */
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly artistPlays: Float64Array;
  readonly albumPlays: Float64Array;
  /** Computed on demand: local-hour and weekday bit masks of the plays. */
  hourMask: Int32Array | null;
  weekdayMask: Int32Array | null;
}

/** Fields computed from the play log, whose values depend on a window. */
export const PLAY_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>([
  'playCount',
  'skipCount',
  'skipRate',
  'minutesPlayed',
  'firstPlayed',
  'lastPlayed',
  'daysSinceLastPlay',
  'artistPlayCount',
  'albumPlayCount',
]);

/** The bounds of a window of the play log (inclusive). */
export interface LogWindow {
  readonly from: number;
  readonly to: number;
  /** True when the window holds every play. */
  readonly all: boolean;
}

/** A window whose play counts alone are computed by a pass over the play log. */
export interface CountJob extends LogWindow {
  readonly key: string;
  /** Counted plays per track, filled by the pass. */
  readonly counts: Int32Array;
}

/** One window being aggregated by a pass over the play log. */
export interface StatsJob extends LogWindow {
  readonly key: string;
  readonly stats: PlayStats;
  /** True when the aggregates are new (else only masks are added to cached ones). */
  readonly fresh: boolean;
  masks: boolean;
  readonly artistTotals: Float64Array;
  readonly albumTotals: Float64Array;
}

/** Aggregates of a window before any play is counted. */
export function emptyStats(n: number): PlayStats {
  return {
    playCount: new Int32Array(n),
    skipCount: new Int32Array(n),
    streams: new Int32Array(n),
    msPlayed: new Float64Array(n),
    first: new Float64Array(n).fill(Number.NaN),
    last: new Float64Array(n).fill(Number.NaN),
    artistPlays: new Float64Array(n),
    albumPlays: new Float64Array(n),
    hourMask: null,
    weekdayMask: null,
  };
}

/**
 * Each track's share of a per-artist or per-album total: `totals[keys[i]]`, 0 for a track with
 * none (a loop of its own, so the code that prepares windows holds none).
 */
export function spreadTotals(totals: Float64Array, keys: Int32Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) {
    const key = keys[i]!;
    out[i] = key >= 0 ? totals[key]! : 0;
  }
}

/** Resolves a "last N" duration to its first instant, counting back from `now` (months: calendar, UTC). */
export function durationCutoff(now: number, d: DurationSpec): number {
  if (d.unit === 'days') return now - d.n * DAY;
  if (d.unit === 'weeks') return now - d.n * 7 * DAY;
  const date = new Date(now);
  const whole = Math.floor(d.n);
  const shifted = Date.UTC(
    date.getUTCFullYear(),
    date.getUTCMonth() - whole,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return shifted - (d.n - whole) * 30 * DAY;
}
