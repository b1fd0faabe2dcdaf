/**
 * Pacing without a server: the client's pacer (`RateLimiter`) against bottleneck's reservoir
 * (`reservoirIncreaseAmount` every `reservoirIncreaseInterval`), same allowance, same concurrency,
 * tasks that take 2 ms. Counts how fast each starts tasks and the most starts any 1,000 ms window
 * saw (the allowance is the most a rolling-window server accepts).
 */
import Bottleneck from 'bottleneck';
import { loadavg } from 'node:os';
import { RateLimiter } from '../src/internal/rate-limiter.js';

export interface PacingResult {
  name: string;
  perSecond: number;
  maxInWindow: number;
  load: number;
}

export const STARTS = 500;

async function measure(
  name: string,
  windowMs: number,
  schedule: (task: () => Promise<void>) => Promise<void>,
): Promise<PacingResult> {
  const starts: number[] = [];
  const t0 = performance.now();
  const task = async () => {
    starts.push(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 2));
  };
  await Promise.all(Array.from({ length: STARTS }, () => schedule(task)));
  const seconds = (performance.now() - t0) / 1000;
  let maxInWindow = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while ((starts[i] as number) - (starts[j] as number) >= windowMs) j++;
    maxInWindow = Math.max(maxInWindow, i - j + 1);
  }
  return { name, perSecond: STARTS / seconds, maxInWindow, load: loadavg()[0] ?? 0 };
}

/** The pacer, then bottleneck's reservoir refilled at the same average rate in three tick sizes. */
export async function pacingRuns(settings: {
  windowMs: number;
  allowance: number;
  maxConcurrent: number;
  safetyMarginMs: number;
}): Promise<PacingResult[]> {
  const { windowMs, maxConcurrent } = settings;
  const pacer = new RateLimiter(settings);
  const out = [await measure('@spoti/client pacer', windowMs, (task) => pacer.schedule(task))];
  await pacer.disconnect();
  const spacing = pacer.minTime;
  for (const amount of [1, 10, 24]) {
    const interval = Math.round(spacing * amount);
    const reservoir = new Bottleneck({
      maxConcurrent,
      reservoir: maxConcurrent,
      reservoirIncreaseAmount: amount,
      reservoirIncreaseInterval: interval,
      reservoirIncreaseMaximum: Math.max(maxConcurrent, amount),
      heartbeatInterval: interval,
    });
    const name = `bottleneck reservoir, +${amount} every ${interval} ms`;
    out.push(await measure(name, windowMs, (task) => reservoir.schedule(task)));
    await reservoir.disconnect();
  }
  return out;
}
