import type { PlayIndex } from '../stats/play-index.js';
import type { ZoneOffsets } from './time-zone.js';

/**
 * `ZoneOffsets.offset` is constant within a UTC 15-minute bucket (it is cached per UTC day, or per
 * 15 minutes on the days an offset changes), so one lookup per bucket gives the same answers.
 */
const BUCKET_MS = 15 * 60_000;

interface Entry {
  readonly size: number;
  readonly endedAt: Float64Array;
  readonly timeZone: string;
  readonly local: Float64Array;
}

/** Local times per index, for the last zone asked (several periods and the profile share them). */
const CACHE = new WeakMap<PlayIndex, Entry>();

/**
 * The local wall-clock time (as UTC ms, see `ZoneOffsets.local`) of every play of `index`, by
 * play position: one offset lookup per 15-minute bucket instead of one per play and statistic,
 * reused while the index is unchanged.
 */
export function localTimes(index: PlayIndex, zone: ZoneOffsets): Float64Array {
  const cached = CACHE.get(index);
  if (
    cached !== undefined &&
    cached.size === index.size &&
    cached.endedAt === index.endedAt &&
    cached.timeZone === zone.timeZone
  ) {
    return cached.local;
  }
  const n = index.size;
  const endedAt = index.endedAt;
  const local = new Float64Array(n);
  let bucket = Number.NaN;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const t = endedAt[i] as number;
    const b = Math.floor(t / BUCKET_MS);
    if (b !== bucket) {
      bucket = b;
      offset = zone.offset(t);
    }
    local[i] = t + offset;
  }
  CACHE.set(index, { size: n, endedAt, timeZone: zone.timeZone, local });
  return local;
}
