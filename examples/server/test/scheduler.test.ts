import { describe, expect, it } from 'vitest';
import { jobIdFor } from '../src/runner/job-id.js';
import { JobRegistry } from '../src/runner/job-registry.js';
import { nextDailyAt, nextEvery, spreadOffset } from '../src/scheduler/slots.js';

const MINUTE = 60_000;

describe('schedule slots', () => {
  it('spreads users over the poll interval at a stable offset of their own', () => {
    const offsets = Array.from({ length: 1000 }, (_, i) =>
      spreadOffset(`poll-plays:u${i}`, 10 * MINUTE),
    );
    for (const o of offsets) {
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(10 * MINUTE);
    }
    expect(spreadOffset('poll-plays:u1', 10 * MINUTE)).toBe(offsets[1]);
    // No 30-second window of the interval holds more than three times its fair share.
    const windows = new Map<number, number>();
    for (const o of offsets)
      windows.set(Math.floor(o / 30_000), (windows.get(Math.floor(o / 30_000)) ?? 0) + 1);
    expect(windows.size).toBe(20);
    expect(Math.max(...windows.values())).toBeLessThan(150);
  });

  it('finds the next slot of a series strictly after a time', () => {
    expect(nextEvery(0, 600_000, 42_000)).toBe(42_000);
    expect(nextEvery(42_000, 600_000, 42_000)).toBe(642_000);
    expect(nextEvery(641_999, 600_000, 42_000)).toBe(642_000);
  });

  it('runs daily jobs at local wall-clock time, across daylight-saving changes', () => {
    // Berlin: UTC+1 in winter, UTC+2 from 2026-03-29.
    expect(
      new Date(nextDailyAt(Date.UTC(2026, 11, 6, 12), 'Europe/Berlin', 7, 7)).toISOString(),
    ).toBe('2026-12-07T06:07:00.000Z');
    expect(
      new Date(nextDailyAt(Date.UTC(2026, 2, 28, 12), 'Europe/Berlin', 7, 7)).toISOString(),
    ).toBe('2026-03-29T05:07:00.000Z');
    expect(
      new Date(nextDailyAt(Date.UTC(2026, 11, 6, 1), 'Asia/Kolkata', 10, 0)).toISOString(),
    ).toBe('2026-12-06T04:30:00.000Z');
    // Exactly at the slot: the next day's.
    const at = Date.UTC(2026, 11, 7, 6, 7);
    expect(nextDailyAt(at, 'Europe/Berlin', 7, 7)).toBe(at + 86_400_000);
  });
});

describe('job ids and the registry', () => {
  it('derives one UUID per run key', () => {
    expect(jobIdFor('poll-plays:u1@1')).toBe(jobIdFor('poll-plays:u1@1'));
    expect(jobIdFor('poll-plays:u1@1')).not.toBe(jobIdFor('poll-plays:u1@2'));
    expect(jobIdFor('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('refuses bad names, bad retry policies and a name taken twice', () => {
    const run = async () => 1;
    const registry = new JobRegistry();
    expect(() => registry.register({ name: 'Bad Name', run })).toThrow(/Invalid job name/);
    expect(() => registry.register({ name: 'a', run, attempts: 0 })).toThrow(/attempts/);
    expect(() => registry.register({ name: 'a', run, backoffMs: -1 })).toThrow(/backoffMs/);
    const job = { name: 'a', run };
    registry.register(job).register(job);
    expect(() => registry.register({ name: 'a', run })).toThrow(/already registered/);
    expect(registry.names()).toEqual(['a']);
  });
});
