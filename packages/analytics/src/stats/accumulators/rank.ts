import type { TopLists } from '../types.js';

/**
 * The `limit` items with plays, ranked by plays (then time) and by time (then plays), ties by
 * position; `make` builds the entry of an item position.
 */
export function rank<T>(
  n: number,
  plays: Float64Array,
  ms: Float64Array,
  limit: number,
  make: (i: number) => T,
): TopLists<T> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) if ((plays[i] as number) > 0) ids.push(i);
  const byPlays = [...ids]
    .sort(
      (a, b) =>
        (plays[b] as number) - (plays[a] as number) ||
        (ms[b] as number) - (ms[a] as number) ||
        a - b,
    )
    .slice(0, limit)
    .map(make);
  const byTime = ids
    .sort(
      (a, b) =>
        (ms[b] as number) - (ms[a] as number) ||
        (plays[b] as number) - (plays[a] as number) ||
        a - b,
    )
    .slice(0, limit)
    .map(make);
  return { byPlays, byTime };
}

/** Number of positions below `n` with plays. */
export function countPlayed(plays: Float64Array, n = plays.length): number {
  let count = 0;
  for (let i = 0; i < n; i++) if ((plays[i] as number) > 0) count++;
  return count;
}
