import { describe, expect, it } from 'vitest';
import { AllowanceLearner } from '../src/internal/allowance-learner.js';

/**
 * A simulated rolling-window server and a client that sends as fast as the learner allows
 * (evenly spaced, like the pacer), for `windows` windows. Returns the refusals per window.
 */
function simulate(options: {
  serverAllowance: (windowIndex: number) => number;
  initial: number;
  windows: number;
  windowMs?: number;
}) {
  const windowMs = options.windowMs ?? 1000;
  const learner = new AllowanceLearner({ windowMs, initial: options.initial });
  const accepted: number[] = [];
  const refusedPerWindow: number[] = [];
  const allowances: number[] = [];
  let t = 0;
  let pausedUntil = 0;
  for (let w = 0; w < options.windows; w++) {
    let refused = 0;
    const end = (w + 1) * windowMs;
    while (t < end) {
      if (t < pausedUntil) {
        t = pausedUntil;
        continue;
      }
      const limit = options.serverAllowance(w);
      while (accepted.length > 0 && (accepted[0] as number) <= t - windowMs) accepted.shift();
      // The pacer holds calls back: demand is above the allowance.
      learner.busy(t);
      if (accepted.length >= limit) {
        refused += 1;
        learner.refused(t, t + 1);
        pausedUntil = (accepted[0] as number) + windowMs; // Retry-After
      } else {
        accepted.push(t);
        learner.accepted(t, t + 1);
      }
      t += (windowMs * 1.02) / learner.allowance;
    }
    refusedPerWindow.push(refused);
    allowances.push(learner.allowance);
  }
  return { refusedPerWindow, allowances, learner };
}

describe('AllowanceLearner', () => {
  it('a guess above the real allowance: one refusal measures it, then one probe per 30 quiet windows', () => {
    const run = simulate({ serverAllowance: () => 100, initial: 180, windows: 60 });
    const bursts = (from: number, to: number) =>
      run.refusedPerWindow.slice(from, to).filter((n) => n > 0).length;
    expect(bursts(0, 30)).toBe(1);
    // One probe past the ceiling after 30 quiet windows (the limit might have risen), refused.
    expect(bursts(30, 60)).toBe(1);
    expect(run.learner.ceiling).toBe(100);
    expect(run.allowances.at(-1)).toBeGreaterThanOrEqual(98);
    expect(run.allowances.at(-1)).toBeLessThanOrEqual(100);
  });

  it('a guess below the real allowance grows (slow start) until the first refusal', () => {
    const run = simulate({ serverAllowance: () => 400, initial: 50, windows: 20 });
    expect(run.allowances[0]).toBeGreaterThan(50);
    expect(run.learner.ceiling).toBeDefined();
    expect(run.allowances.at(-1)).toBeGreaterThanOrEqual(380);
    expect(run.refusedPerWindow.filter((n) => n > 0).length).toBeLessThanOrEqual(2);
  });

  it('follows a limit that drops (multiplicative decrease) and probes again after quiet windows', () => {
    const run = simulate({
      serverAllowance: (w) => (w < 10 ? 100 : 60),
      initial: 100,
      windows: 80,
    });
    // After the drop the learner settles at or below 60 within a few refusals.
    const after = run.allowances.slice(20, 30);
    expect(Math.max(...after)).toBeLessThanOrEqual(60);
    expect(run.refusedPerWindow.slice(10).filter((n) => n > 0).length).toBeLessThanOrEqual(6);
    // It probes past the ceiling now and then (the limit may rise again), never far.
    expect(Math.max(...run.allowances.slice(30))).toBeLessThanOrEqual(66);
  });

  it('idle windows teach nothing', () => {
    const learner = new AllowanceLearner({ windowMs: 1000, initial: 180 });
    for (let t = 0; t < 60_000; t += 500) learner.accepted(t, t + 1);
    expect(learner.allowance).toBe(180);
  });

  it('refusals of calls already in flight when the first was heard of count once', () => {
    const learner = new AllowanceLearner({ windowMs: 1000, initial: 180 });
    for (let i = 0; i < 100; i++) learner.accepted(i * 5, i * 5 + 1);
    learner.refused(500, 502);
    expect(learner.allowance).toBe(100);
    // Sent at 501 and 502, before the refusal at 502 was heard of: the same burst.
    learner.refused(501, 503);
    learner.refused(502, 504);
    expect(learner.allowance).toBe(100);
    // One accepted call answered late, started before the refused one: the server took 101.
    learner.accepted(499, 505);
    expect(learner.allowance).toBe(101);
  });
});
