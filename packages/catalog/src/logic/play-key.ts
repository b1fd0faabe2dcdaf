import type { Play } from '../domain/play.js';
import { normalizeText } from './normalize-text.js';

/**
 * THE dedupe key of a {@link Play}; every package that stores or counts plays uses it, and this
 * comment is the one place the rule is written down.
 *
 * `playKey = userId | identity | time`, where
 * - **identity** is `t:<trackId>` when the play has a track id, otherwise
 *   `n:<normalised artist name>/<normalised track name>` (see `normalizeText`);
 * - **time** is, by the first rule that applies:
 *   1. **offline plays** (`offline === true` and a positive `offlineTimestamp`):
 *      `o:<offlineTimestamp truncated to the whole second>`. A play recorded offline is re-synced
 *      later and can appear twice in an export with the same `offline_timestamp` but different
 *      `ts`, so the device's recording time identifies it, not the sync time. An
 *      `offlineTimestamp` of `0` (the export's "unset") counts as null;
 *   2. **minute-precision rows** (Account-data `StreamingHistory*.json`: no track id and `endedAt`
 *      on a whole minute): `m:<endedAt truncated to the minute>`, so re-importing the same
 *      Account-data file is idempotent;
 *   3. otherwise `s:<endedAt truncated to the whole second>` (API `played_at` carries
 *      milliseconds, Extended-history `ts` whole seconds: both meet at the second).
 *
 * `source`, `msPlayed` and the other fields are not part of the key, so the same play polled from
 * the API and found again in an export is stored once. An offline play and the same play seen
 * online (the API reports `offline: null`) have different keys; the API only reports plays as they
 * happen, so this does not arise in practice.
 *
 * A play without a track id never collides with one that has an id: a name-only row is a
 * separate listening record unless the caller resolves its id first.
 *
 * @example
 * ```ts
 * playKey({ ...play, userId: 'u1', trackId: 't1', endedAt: 1_700_000_000_123 });
 * // 'u1|t:t1|s:1700000000'
 * playKey({ ...play, userId: 'u1', trackId: 't1', offline: true, offlineTimestamp: 1_699_999_000_456 });
 * // 'u1|t:t1|o:1699999000'
 * ```
 */
export function playKey(
  play: Pick<Play, 'userId' | 'trackId' | 'artistName' | 'trackName' | 'endedAt'> &
    Partial<Pick<Play, 'offline' | 'offlineTimestamp'>>,
): string {
  const identity =
    play.trackId !== null
      ? `t:${play.trackId}`
      : `n:${normalizeText(play.artistName)}/${normalizeText(play.trackName)}`;
  return `${play.userId}|${identity}|${playKeyTime(play)}`;
}

/** The time part of {@link playKey} (rules 1 to 3). */
function playKeyTime(
  play: Pick<Play, 'trackId' | 'endedAt'> & Partial<Pick<Play, 'offline' | 'offlineTimestamp'>>,
): string {
  const offlineAt = play.offlineTimestamp ?? null;
  if (play.offline === true && offlineAt !== null && offlineAt > 0) {
    return `o:${Math.floor(offlineAt / 1000)}`;
  }
  if (play.trackId === null && play.endedAt % 60_000 === 0) {
    return `m:${Math.floor(play.endedAt / 60_000)}`;
  }
  return `s:${Math.floor(play.endedAt / 1000)}`;
}

/**
 * Removes plays whose {@link playKey} was already seen, keeping the first occurrence and order.
 *
 * @example
 * ```ts
 * dedupePlays([a, aAgainFromTheExport, b]); // [a, b]
 * ```
 */
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
