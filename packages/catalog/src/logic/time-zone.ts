import { isTimeZone as knownZone, ZoneClock } from '@spoti/internal';
import { CatalogError } from '../errors/catalog-error.js';

/**
 * True when `timeZone` is an IANA time zone this runtime knows.
 *
 * @example
 * ```ts
 * isTimeZone('Europe/Berlin'); // true
 * isTimeZone('Mars/Olympus'); // false
 * ```
 */
export function isTimeZone(timeZone: string): boolean {
  return knownZone(timeZone);
}

/**
 * UTC offsets of one IANA time zone, computed with `Intl` and cached per UTC day (and per 15
 * minutes on the days an offset changes), so converting a lifetime of plays to local time costs a
 * few thousand `Intl` calls. Offsets are `local - UTC` in ms: positive east of Greenwich.
 *
 * @throws {CatalogError} `INVALID_INPUT` when the zone is unknown.
 * @example
 * ```ts
 * const berlin = new ZoneOffsets('Europe/Berlin');
 * berlin.offset(Date.UTC(2026, 6, 1)); // 7_200_000 (CEST)
 * berlin.instantOf(Date.UTC(2026, 10, 6)); // the UTC instant of local midnight, 2026-11-05T23:00Z
 * ```
 */
export class ZoneOffsets {
  readonly #clock: ZoneClock;

  constructor(readonly timeZone: string) {
    if (!isTimeZone(timeZone)) {
      throw new CatalogError({
        code: 'INVALID_INPUT',
        message: `Unknown IANA time zone: ${JSON.stringify(timeZone)}`,
      });
    }
    this.#clock = new ZoneClock(timeZone);
  }

  /** Offset (`local - UTC`) in ms at the UTC instant `ms`. */
  offset(ms: number): number {
    return this.#clock.offset(ms);
  }

  /** Local wall-clock time of the UTC instant `ms`, expressed as if it were UTC ms. */
  local(ms: number): number {
    return this.#clock.local(ms);
  }

  /**
   * The UTC instant at which the local wall-clock time `localMs` (written as UTC ms) occurs. In a
   * daylight-saving gap the instant just after the gap; in an overlap the first occurrence.
   */
  instantOf(localMs: number): number {
    return this.#clock.instantOf(localMs);
  }
}

const ZONES = new Map<string, ZoneOffsets>();

/**
 * A shared {@link ZoneOffsets} per zone (offsets never change, so sharing is pure memoisation).
 *
 * @throws {CatalogError} `INVALID_INPUT` when the zone is unknown.
 * @example
 * ```ts
 * zoneOffsets('Asia/Tokyo').local(Date.UTC(2026, 0, 1)); // Date.UTC(2026, 0, 1, 9)
 * ```
 */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = ZONES.get(timeZone);
  if (zone === undefined) {
    zone = new ZoneOffsets(timeZone);
    if (ZONES.size >= 64) ZONES.clear();
    ZONES.set(timeZone, zone);
  }
  return zone;
}
