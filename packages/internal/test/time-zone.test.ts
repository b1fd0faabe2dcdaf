import { describe, expect, it } from 'vitest';
import { isTimeZone, ZoneClock, zoneClock } from '../src/index.js';

describe('ZoneClock', () => {
  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(RangeError);
  });

  it('gives offsets across a daylight-saving change, to the quarter hour', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    expect(berlin.offset(Date.UTC(2026, 0, 15))).toBe(3_600_000);
    expect(berlin.offset(Date.UTC(2026, 6, 1))).toBe(7_200_000);
    // 2026-03-29: clocks go forward at 01:00 UTC.
    expect(berlin.offset(Date.UTC(2026, 2, 29, 0, 59))).toBe(3_600_000);
    expect(berlin.offset(Date.UTC(2026, 2, 29, 1, 0))).toBe(7_200_000);
    expect(new ZoneClock('UTC').offset(Date.UTC(2026, 6, 1))).toBe(0);
  });

  it('maps local wall-clock times back to instants', () => {
    const tokyo = zoneClock('Asia/Tokyo');
    expect(tokyo.local(Date.UTC(2026, 0, 1))).toBe(Date.UTC(2026, 0, 1, 9));
    expect(tokyo.instantOf(Date.UTC(2026, 0, 1, 9))).toBe(Date.UTC(2026, 0, 1));
    expect(zoneClock('Asia/Tokyo')).toBe(tokyo);
    // In the spring-forward gap (02:30 does not exist in Berlin) it moves on by the gap: 03:30.
    const berlin = zoneClock('Europe/Berlin');
    expect(berlin.instantOf(Date.UTC(2026, 2, 29, 2, 30))).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });
});
