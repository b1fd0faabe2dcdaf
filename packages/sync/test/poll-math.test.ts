import { createMemoryStore } from '@spoti/catalog';
import { describe, expect, it } from 'vitest';
import {
  createMemorySyncStateStore,
  createSync,
  estimateMissedPlays,
  isSyncError,
  recommendPollInterval,
  updatePlayRate,
} from '../src/index.js';

const HOUR = 3_600_000;

describe('poll math', () => {
  it('estimates missed plays from the received batch and the long-run rate', () => {
    const received = [HOUR, HOUR + 180_000, HOUR + 360_000];
    expect(estimateMissedPlays({ from: 0, to: HOUR, received })).toBe(19);
    expect(estimateMissedPlays({ from: 0, to: HOUR, received, averageRatePerHour: 5 })).toBe(9);
    expect(estimateMissedPlays({ from: HOUR, to: HOUR, received })).toBe(0);
    expect(estimateMissedPlays({ from: 0, to: HOUR, received: [HOUR] })).toBe(0);
    // A gap of one inter-play interval: nothing missed.
    expect(estimateMissedPlays({ from: HOUR - 180_000, to: HOUR, received })).toBe(0);
  });

  it('recommends half the time to fill the 50-play window, within bounds', () => {
    const bounds = { minMs: 120_000, maxMs: HOUR };
    expect(recommendPollInterval(60, bounds)).toBe(25 * 60_000);
    expect(recommendPollInterval(20, bounds)).toBe(HOUR);
    expect(recommendPollInterval(10_000, bounds)).toBe(120_000);
    expect(recommendPollInterval(0, bounds)).toBe(HOUR);
    expect(recommendPollInterval(Number.NaN, bounds)).toBe(HOUR);
  });

  it('updates the play rate with bursts weighing in, and smooths it', () => {
    expect(updatePlayRate({ previous: null, newPlays: [], sinceMs: null })).toBeNull();
    expect(
      updatePlayRate({ previous: null, newPlays: [0, 180_000, 360_000], sinceMs: 600_000 }),
    ).toBe(20);
    expect(updatePlayRate({ previous: 20, newPlays: [], sinceMs: 600_000 })).toBe(14);
    expect(updatePlayRate({ previous: 7, newPlays: [], sinceMs: null })).toBe(7);
  });
});

describe('createSync options', () => {
  it('rejects bad options with a typed error naming the field', () => {
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    const attempt = (options: unknown) => {
      try {
        createSync(options as Parameters<typeof createSync>[0]);
        return null;
      } catch (error) {
        return error;
      }
    };
    const noStore = attempt({ state });
    expect(isSyncError(noStore) && noStore.code).toBe('INVALID_OPTIONS');
    expect((noStore as Error).message).toContain('store');
    const badBudget = attempt({ store, state, import: { resolveBudget: -1 } });
    expect((badBudget as Error).message).toContain('import.resolveBudget');
    const badBounds = attempt({ store, state, plays: { minIntervalMs: 10, maxIntervalMs: 5 } });
    expect((badBounds as Error).message).toContain('minIntervalMs');
    expect(attempt({ store, state })).toBeNull();
  });
});
