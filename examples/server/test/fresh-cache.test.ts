import { describe, expect, it } from 'vitest';
import { FreshCache } from '../src/api/catalog/fresh-cache.js';

/** Lets refreshes started in the background finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(maxEntries = 10) {
  let now = 0;
  const cache = new FreshCache<number>({
    now: () => now,
    freshMs: 5_000,
    maxAgeMs: 30_000,
    maxEntries,
  });
  let calls = 0;
  const compute = (value: number) => async () => {
    calls++;
    return value;
  };
  return {
    cache,
    compute,
    calls: () => calls,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('FreshCache', () => {
  it('computes once for callers that ask at the same time', async () => {
    const t = setup();
    let release: (v: number) => void = () => undefined;
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    };
    const a = t.cache.get('k', slow);
    const b = t.cache.get('k', slow);
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(calls).toBe(1);
  });

  it('serves a fresh value, then the stale one while one refresh runs, then the new one', async () => {
    const t = setup();
    expect(await t.cache.get('k', t.compute(1))).toBe(1);
    t.advance(4_999);
    expect(await t.cache.get('k', t.compute(2))).toBe(1);
    expect(t.calls()).toBe(1);
    t.advance(2);
    expect(await t.cache.get('k', t.compute(2))).toBe(1); // stale, refresh started
    await settle();
    expect(await t.cache.get('k', t.compute(3))).toBe(2); // the refresh's value, fresh again
    expect(t.calls()).toBe(2);
  });

  it('waits for a new value once the old one is older than maxAgeMs', async () => {
    const t = setup();
    await t.cache.get('k', t.compute(1));
    t.advance(30_000);
    expect(await t.cache.get('k', t.compute(2))).toBe(2);
  });

  it('keeps no failed computation and keys apart', async () => {
    const t = setup();
    await expect(
      t.cache.get('k', async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(await t.cache.get('k', t.compute(5))).toBe(5);
    expect(await t.cache.get('other', t.compute(6))).toBe(6);
    expect(await t.cache.get('k', t.compute(9))).toBe(5);
  });

  it('keeps a stale value when its refresh fails', async () => {
    const t = setup();
    await t.cache.get('k', t.compute(1));
    t.advance(6_000);
    const failing = async (): Promise<number> => {
      throw new Error('down');
    };
    expect(await t.cache.get('k', failing)).toBe(1);
    await settle();
    expect(await t.cache.get('k', t.compute(2))).toBe(1); // stale again: a new refresh started
    await settle();
    expect(await t.cache.get('k', t.compute(3))).toBe(2);
  });

  it('holds at most maxEntries keys, dropping the least recently computed', async () => {
    const t = setup(2);
    await t.cache.get('a', t.compute(1));
    await t.cache.get('b', t.compute(2));
    await t.cache.get('c', t.compute(3));
    expect(await t.cache.get('a', t.compute(4))).toBe(4); // recomputed: it was dropped
    expect(await t.cache.get('c', t.compute(5))).toBe(3);
  });

  it('forgets a key at once, and does not keep a computation that was running when it was deleted', async () => {
    const t = setup();
    expect(await t.cache.get('a', t.compute(1))).toBe(1);
    t.cache.delete('a');
    expect(await t.cache.get('a', t.compute(2))).toBe(2);
    let release: (v: number) => void = () => undefined;
    const running = t.cache.get(
      'b',
      () =>
        new Promise<number>((resolve) => {
          release = resolve;
        }),
    );
    t.cache.delete('b');
    release(10);
    expect(await running).toBe(10);
    expect(await t.cache.get('b', t.compute(11))).toBe(11);
    t.cache.clear();
    expect(await t.cache.get('a', t.compute(3))).toBe(3);
    expect(await t.cache.get('b', t.compute(12))).toBe(12);
    expect(t.calls()).toBe(5);
  });
});
