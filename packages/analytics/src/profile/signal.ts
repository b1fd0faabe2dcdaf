import type { Signal } from './listening-profile.js';

export const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
export const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** A profile signal: value and confidence clamped to 0..1 and rounded to 4 decimals. */
export const signal = (value: number, source: Signal['source'], confidence: number): Signal => ({
  value: round(clamp01(value)),
  source,
  confidence: round(clamp01(confidence)),
});
