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

  it('ignores offlineTimestamp and source, so duplicated export rows collapse', () => {
    const offline = { ...base, offline: true, offlineTimestamp: 1_700_000_000_000 };
    expect(dedupePlays([offline, { ...offline, offlineTimestamp: 1 }, base])).toEqual([offline]);
  });

  it('validates plays with the schema', () => {
    expect(playSchema.parse(base)).toEqual(base);
    expect(() => playSchema.parse({ ...base, source: 'other' })).toThrow();
  });
});
