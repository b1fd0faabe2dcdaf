import type { Play } from '../domain/play.js';
import { normalizeText } from './normalize-text.js';

/**
 * THE dedupe key of a {@link Play}; every package that stores or counts plays uses it.
 *
 * `playKey = userId | identity | time`, where
 * - **identity** is `t:<trackId>` when the play has a track id, otherwise
 *   `n:<normalised artist name>/<normalised track name>` (see `normalizeText`);
 * - **time** is `s:<endedAt truncated to the whole second>` (API `played_at` carries
 *   milliseconds, Extended-history `ts` whole seconds: both meet at the second);
 * - **minute-precision rows** (Account-data `StreamingHistory*.json`: no track id and `endedAt`
 *   on a whole minute) use `m:<endedAt truncated to the minute>` instead, so re-importing the
 *   same Account-data file is idempotent;
 * - **offline plays** are keyed like any other on `endedAt` as recorded (the export's `ts`);
 *   `offlineTimestamp` is informative and not part of the key, so duplicated export rows still
 *   collapse.
 *
 * A play without a track id never collides with one that has an id: a name-only row is a
 * separate listening record unless the caller resolves its id first.
 *
 * @example
 * ```ts
 * playKey({ ...play, userId: 'u1', trackId: 't1', endedAt: 1_700_000_000_123 });
 * // 'u1|t:t1|s:1700000000'
 * ```
 */
export function playKey(
  play: Pick<Play, 'userId' | 'trackId' | 'artistName' | 'trackName' | 'endedAt'>,
): string {
  const identity =
    play.trackId !== null
      ? `t:${play.trackId}`
      : `n:${normalizeText(play.artistName)}/${normalizeText(play.trackName)}`;
  const minutePrecision = play.trackId === null && play.endedAt % 60_000 === 0;
  const time = minutePrecision
    ? `m:${Math.floor(play.endedAt / 60_000)}`
    : `s:${Math.floor(play.endedAt / 1000)}`;
  return `${play.userId}|${identity}|${time}`;
}

/** Removes plays whose {@link playKey} was already seen, keeping the first occurrence and order. */
export function dedupePlays<T extends Play>(plays: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const play of plays) {
    const key = playKey(play);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(play);
  }
  return out;
}
