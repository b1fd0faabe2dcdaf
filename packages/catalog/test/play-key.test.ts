import { describe, expect, it } from 'vitest';
import { dedupePlays, playKey, playSchema } from '../src/index.js';
import { byId, play } from './fixtures.js';

describe('playKey', () => {
  const base = play('u1', byId('t01'), Date.UTC(2026, 0, 1, 10, 0, 12, 345));

  it('truncates endedAt to the second so API (ms) and export (s) rows meet', () => {
    const exported = {
      ...base,
      endedAt: Date.UTC(2026, 0, 1, 10, 0, 12),
      source: 'export' as const,
    };
    expect(playKey(base)).toBe(playKey(exported));
    expect(playKey(base)).toBe(`u1|t:t01|s:${Math.floor(base.endedAt / 1000)}`);
    expect(playKey({ ...base, endedAt: base.endedAt + 1000 })).not.toBe(playKey(base));
    expect(playKey({ ...base, userId: 'u2' })).not.toBe(playKey(base));
  });

  it('uses normalised names and minute precision for Account-data rows', () => {
    const row = {
      ...base,
      trackId: null,
      artistName: 'Beyoncé',
      trackName: 'Formation',
      endedAt: Date.UTC(2026, 0, 1, 10, 0),
    };
    expect(playKey(row)).toBe(`u1|n:beyonce/formation|m:${Date.UTC(2026, 0, 1, 10, 0) / 60_000}`);
    expect(playKey({ ...row, artistName: 'BEYONCE' })).toBe(playKey(row));
    expect(playKey({ ...row, endedAt: row.endedAt + 7000 })).toMatch(/\|s:/);
  });

  it('keys offline plays by offlineTimestamp truncated to the second, not endedAt', () => {
    const recordedAt = Date.UTC(2026, 0, 1, 9, 0, 0, 750);
    const offline = {
      ...base,
      offline: true,
      offlineTimestamp: recordedAt,
      source: 'export' as const,
    };
    expect(playKey(offline)).toBe(`u1|t:t01|o:${Math.floor(recordedAt / 1000)}`);
    // Re-synced: the same offline play appears again with another `ts`.
    const resynced = { ...offline, endedAt: offline.endedAt + 3 * 3_600_000 };
    expect(playKey(resynced)).toBe(playKey(offline));
    expect(dedupePlays([offline, resynced])).toEqual([offline]);
    // Same second, different milliseconds: one play. Another second: another play.
    expect(playKey({ ...offline, offlineTimestamp: recordedAt - 750 })).toBe(playKey(offline));
    expect(playKey({ ...offline, offlineTimestamp: recordedAt + 1000 })).not.toBe(playKey(offline));
    // Name-only offline rows use the offline rule too (before the minute rule).
    const named = { ...offline, trackId: null, endedAt: Date.UTC(2026, 0, 1, 10, 0) };
    expect(playKey(named)).toBe(`u1|n:someone/formation|o:${Math.floor(recordedAt / 1000)}`);
  });

  it('keys by endedAt when the play is not offline or has no usable offlineTimestamp', () => {
    const s = `u1|t:t01|s:${Math.floor(base.endedAt / 1000)}`;
    expect(playKey({ ...base, offline: false, offlineTimestamp: 1_700_000_000_000 })).toBe(s);
    expect(playKey({ ...base, offline: null, offlineTimestamp: 1_700_000_000_000 })).toBe(s);
    expect(playKey({ ...base, offline: true, offlineTimestamp: null })).toBe(s);
    expect(playKey({ ...base, offline: true, offlineTimestamp: 0 })).toBe(s);
    // Callers that pass only the older key fields still get a key.
    const { offline: _o, offlineTimestamp: _t, ...minimal } = base;
    expect(playKey(minimal)).toBe(s);
  });

  it('ignores source, so the API and export copies of a play collapse', () => {
    const exported = { ...base, source: 'export' as const, msPlayed: 1 };
    expect(dedupePlays([base, exported])).toEqual([base]);
  });

  it('validates plays with the schema', () => {
    expect(playSchema.parse(base)).toEqual(base);
    expect(() => playSchema.parse({ ...base, source: 'other' })).toThrow();
  });
});
