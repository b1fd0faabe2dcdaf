import { describe, expect, it } from 'vitest';
import { isCatalogError, isTimeZone, ZoneOffsets, zoneOffsets } from '../src/index.js';

const H = 3_600_000;

describe('ZoneOffsets', () => {
  it('gives standard and daylight-saving offsets, east and west of Greenwich', () => {
    const berlin = new ZoneOffsets('Europe/Berlin');
    expect(berlin.offset(Date.UTC(2026, 0, 15))).toBe(1 * H);
    expect(berlin.offset(Date.UTC(2026, 6, 15))).toBe(2 * H);
    const la = zoneOffsets('America/Los_Angeles');
    expect(la.offset(Date.UTC(2026, 0, 15))).toBe(-8 * H);
    expect(la.local(Date.UTC(2026, 6, 15, 12))).toBe(Date.UTC(2026, 6, 15, 5));
    expect(zoneOffsets('Asia/Kathmandu').offset(Date.UTC(2026, 3, 1))).toBe(5.75 * H);
    expect(new ZoneOffsets('UTC').offset(Date.UTC(2026, 3, 1))).toBe(0);
  });

  it('switches at the exact quarter hour on a change day', () => {
    const berlin = new ZoneOffsets('Europe/Berlin');
    // 2026-03-29 01:00 UTC: clocks go from 02:00 to 03:00 local.
    expect(berlin.offset(Date.UTC(2026, 2, 29, 0, 59))).toBe(1 * H);
    expect(berlin.offset(Date.UTC(2026, 2, 29, 1, 0))).toBe(2 * H);
    // 2026-10-25 01:00 UTC: back from 03:00 to 02:00 local.
    expect(berlin.offset(Date.UTC(2026, 9, 25, 0, 45))).toBe(2 * H);
    expect(berlin.offset(Date.UTC(2026, 9, 25, 1, 0))).toBe(1 * H);
  });

  it('finds the instant of a local wall-clock time, across offset changes', () => {
    const tokyo = zoneOffsets('Asia/Tokyo');
    expect(tokyo.instantOf(Date.UTC(2026, 10, 6))).toBe(Date.UTC(2026, 10, 5, 15));
    const la = zoneOffsets('America/Los_Angeles');
    expect(la.instantOf(Date.UTC(2026, 10, 6))).toBe(Date.UTC(2026, 10, 6, 8));
    // Local midnight on the day clocks go back (2026-11-01) is still daylight time.
    expect(la.instantOf(Date.UTC(2026, 10, 1))).toBe(Date.UTC(2026, 10, 1, 7));
    for (let day = 0; day < 366; day += 7) {
      const local = Date.UTC(2026, 0, 1 + day, 12);
      expect(la.local(la.instantOf(local))).toBe(local);
    }
  });

  it('rejects unknown zones with a typed error naming the zone', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    let caught: unknown;
    try {
      zoneOffsets('Mars/Olympus');
    } catch (error) {
      caught = error;
    }
    expect(isCatalogError(caught) && caught.code).toBe('INVALID_INPUT');
    expect(String((caught as Error).message)).toContain('Mars/Olympus');
  });
});
