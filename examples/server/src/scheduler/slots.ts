import { ZoneOffsets } from '@spoti/catalog';

const DAY_MS = 86_400_000;

/**
 * A stable offset in `[0, intervalMs)` for `key` (FNV-1a of the text), so that N users polled
 * every `intervalMs` are spread over the interval instead of firing together.
 *
 * @example
 * ```ts
 * spreadOffset('poll-plays:u1', 600_000); // the same number for u1, every time
 * ```
 */
export function spreadOffset(key: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Whole seconds: slot times stay readable in logs and keys.
  const seconds = Math.max(1, Math.floor(intervalMs / 1000));
  return (hash % seconds) * 1000;
}

/** The first instant after `afterMs` of the series `offsetMs + k * intervalMs`. */
export function nextEvery(afterMs: number, intervalMs: number, offsetMs: number): number {
  const k = Math.floor((afterMs - offsetMs) / intervalMs) + 1;
  return offsetMs + k * intervalMs;
}

/** UTC instant of the local wall time `localMs` (a UTC-encoded local date and time) in `zone`. */
function instantOfLocal(zone: ZoneOffsets, localMs: number): number {
  const guess = localMs - zone.offset(localMs);
  return localMs - zone.offset(guess);
}

/**
 * The first instant after `afterMs` at which the wall clock of `timeZone` shows `hour:minute`.
 * On days when a daylight-saving change skips that time, the run falls at the same offset past
 * the change.
 *
 * @example
 * ```ts
 * nextDailyAt(Date.UTC(2026, 11, 6, 12), 'Europe/Berlin', 7, 7); // 2026-12-07T06:07Z
 * ```
 */
export function nextDailyAt(
  afterMs: number,
  timeZone: string,
  hour: number,
  minute: number,
): number {
  const zone = new ZoneOffsets(timeZone);
  const local = afterMs + zone.offset(afterMs);
  const localDay = Math.floor(local / DAY_MS) * DAY_MS;
  for (let day = localDay; ; day += DAY_MS) {
    const at = instantOfLocal(zone, day + hour * 3_600_000 + minute * 60_000);
    if (at > afterMs) return at;
  }
}
