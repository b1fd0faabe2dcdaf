import { GENRE_FAMILIES } from '../profile/genre-family.js';
import type { MonthShares, TastePhase } from './types.js';

/** A segmentation of the months: its squared error and where each phase after the first starts. */
interface Segmentation {
  error: number;
  cuts: number[];
}

/**
 * Splits the months into at most three contiguous phases of taste: the segmentation of the
 * months' family-share vectors with the least squared error (dynamic programming); a second or
 * third phase is kept only when it cuts the error by at least a fifth, and neighbouring phases
 * dominated by the same family are merged. Months without known genres are ignored.
 */
export function tastePhases(months: readonly MonthShares[]): TastePhase[] {
  const rows = months.filter((m) => m.families.length > 0);
  const n = rows.length;
  if (n === 0) return [];
  const sums = prefixSums(rows);
  const cost = segmentCost(sums);
  const best: Segmentation[] = [{ error: cost(0, n), cuts: [] }];
  for (let phases = 2; phases <= Math.min(3, n); phases++) {
    best.push(bestSegmentation(n, phases, cost));
  }
  let chosen = best[0] as Segmentation;
  for (const candidate of best.slice(1)) {
    if (candidate.error <= chosen.error * 0.8 - 1e-9) chosen = candidate;
  }
  return phasesOf(rows, sums.sum, [0, ...chosen.cuts, n]);
}

/** Prefix sums of the months' family-share vectors and of their squared lengths. */
interface PrefixSums {
  /** `sum[i]`: the first i months' vectors summed. */
  sum: Float64Array[];
  /** `sq[i]`: the first i months' squared vector lengths summed. */
  sq: Float64Array;
}

function prefixSums(rows: readonly MonthShares[]): PrefixSums {
  const k = GENRE_FAMILIES.length;
  const n = rows.length;
  const vectors = rows.map((m) => {
    const v = new Float64Array(k);
    for (const f of m.families) v[GENRE_FAMILIES.indexOf(f.family)] = f.share;
    return v;
  });
  const sum = Array.from({ length: n + 1 }, () => new Float64Array(k));
  const sq = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = vectors[i] as Float64Array;
    let s = 0;
    for (let f = 0; f < k; f++) {
      (sum[i + 1] as Float64Array)[f] = ((sum[i] as Float64Array)[f] as number) + (v[f] as number);
      s += (v[f] as number) ** 2;
    }
    sq[i + 1] = (sq[i] as number) + s;
  }
  return { sum, sq };
}

/** The squared error of months a..b-1 around their mean, in O(families) from the prefix sums. */
function segmentCost({ sum, sq }: PrefixSums): (a: number, b: number) => number {
  const k = GENRE_FAMILIES.length;
  return (a, b) => {
    let c = (sq[b] as number) - (sq[a] as number);
    for (let f = 0; f < k; f++) {
      const s = ((sum[b] as Float64Array)[f] as number) - ((sum[a] as Float64Array)[f] as number);
      c -= (s * s) / (b - a);
    }
    return Math.max(0, c);
  };
}

/** The segmentation of n months into `phases` segments with the least error. */
function bestSegmentation(
  n: number,
  phases: number,
  cost: (a: number, b: number) => number,
): Segmentation {
  // dp[j][i]: best error of the first i months in j segments.
  const dp = Array.from({ length: phases + 1 }, () =>
    new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY),
  );
  const from = Array.from({ length: phases + 1 }, () => new Int32Array(n + 1));
  (dp[0] as Float64Array)[0] = 0;
  for (let j = 1; j <= phases; j++) {
    for (let i = j; i <= n; i++) {
      for (let p = j - 1; p < i; p++) {
        const e = ((dp[j - 1] as Float64Array)[p] as number) + cost(p, i);
        if (e < ((dp[j] as Float64Array)[i] as number)) {
          (dp[j] as Float64Array)[i] = e;
          (from[j] as Int32Array)[i] = p;
        }
      }
    }
  }
  const cuts: number[] = [];
  let i = n;
  for (let j = phases; j > 1; j--) {
    i = (from[j] as Int32Array)[i] as number;
    cuts.unshift(i);
  }
  return { error: (dp[phases] as Float64Array)[n] as number, cuts };
}

/** The phases between the bounds, each named by its top family; same-family neighbours merged. */
function phasesOf(
  rows: readonly MonthShares[],
  sum: readonly Float64Array[],
  bounds: readonly number[],
): TastePhase[] {
  const k = GENRE_FAMILIES.length;
  const phases: TastePhase[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const a = bounds[s] as number;
    const b = bounds[s + 1] as number;
    let top = 0;
    let topShare = -1;
    for (let f = 0; f < k; f++) {
      const share =
        (((sum[b] as Float64Array)[f] as number) - ((sum[a] as Float64Array)[f] as number)) /
        (b - a);
      if (share > topShare) {
        topShare = share;
        top = f;
      }
    }
    const family = GENRE_FAMILIES[top] as TastePhase['family'];
    const previous = phases[phases.length - 1];
    const phase = {
      from: (rows[a] as MonthShares).month,
      to: (rows[b - 1] as MonthShares).month,
      family,
      share: topShare,
    };
    if (previous !== undefined && previous.family === family) {
      previous.to = phase.to;
      previous.share = (previous.share + topShare) / 2;
    } else phases.push(phase);
  }
  return phases;
}
