import type { Track } from '@spoti/catalog';
import { seededHash } from '../internal/hash.js';

// The loops of an evaluation over its tracks, each in a small function of its own: evaluating a
// rule calls them once per rule, and the functions that call them (the pipeline, the sort) then
// hold no loop, so they are never hot enough to be recompiled with everything they call inlined
// (on a fresh index, that compilation cost more processor time than the loops themselves).

/** Track numbers 0..n-1. */
export function allTracks(n: number): Int32Array {
  const every = new Int32Array(n);
  for (let i = 0; i < n; i++) every[i] = i;
  return every;
}

/** The numbers of a typed array as a plain array (`Array.from` goes through its iterator). */
export function toList(selected: Int32Array): number[] {
  const out = new Array<number>(selected.length);
  for (let k = 0; k < selected.length; k++) out[k] = selected[k]!;
  return out;
}

/** How many of `list`'s first tracks fit in `limitMs` (each whole). */
export function countWithin(
  list: readonly number[],
  tracks: readonly Track[],
  limitMs: number,
): number {
  let total = 0;
  let k = 0;
  for (; k < list.length; k++) {
    const d = tracks[list[k]!]!.durationMs;
    if (total + d > limitMs) break;
    total += d;
  }
  return k;
}

/** Column `k` of a sort table: each candidate's value times `sign`, missing values last. */
export function fillKey(
  table: Float64Array,
  width: number,
  k: number,
  candidates: readonly number[],
  values: Float64Array,
  sign: number,
): void {
  for (let c = 0; c < candidates.length; c++) {
    const v = values[candidates[c]!]!;
    table[c * width + k] = Number.isNaN(v) ? Number.POSITIVE_INFINITY : sign * v;
  }
}

/** Column `k` of a sort table: each candidate's values as they are (ranks, tie-breaks). */
export function fillRaw(
  table: Float64Array,
  width: number,
  k: number,
  candidates: readonly number[],
  values: Float64Array,
): void {
  for (let c = 0; c < candidates.length; c++) table[c * width + k] = values[candidates[c]!]!;
}

/** Column `k` of a sort table: a seeded hash of each candidate's id (a random order). */
export function fillRandom(
  table: Float64Array,
  width: number,
  k: number,
  candidates: readonly number[],
  trackIds: readonly string[],
  seed: number,
): void {
  for (let c = 0; c < candidates.length; c++) {
    table[c * width + k] = seededHash(seed, trackIds[candidates[c]!]!);
  }
}

/** Positions 0..n-1 in the order of the rows of a sort table (ties keep no particular order). */
export function sortRows(table: Float64Array, width: number, n: number): number[] {
  const order = new Array<number>(n);
  for (let c = 0; c < n; c++) order[c] = c;
  return order.sort((a, b) => {
    const oa = a * width;
    const ob = b * width;
    for (let k = 0; k < width; k++) {
      const x = table[oa + k]!;
      const y = table[ob + k]!;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
}

/** `candidates` in the order of `order`. */
export function pick(candidates: readonly number[], order: readonly number[]): number[] {
  const out = new Array<number>(order.length);
  for (let k = 0; k < order.length; k++) out[k] = candidates[order[k]!]!;
  return out;
}
