/** A half-open band `[from, to)` of a 0..1 input (the last band includes 1). */
export interface Band {
  /** Catalogue tag chosen when the input falls in the band. */
  readonly tag: string;
  /** Lower edge (included). */
  readonly from: number;
  /** Upper edge (excluded, except 1 for the last band). */
  readonly to: number;
  /** Reason template; `{value}` becomes the input as a percentage (and its basis). */
  readonly reason: string;
}

/**
 * Picks the band holding `value`. With hysteresis: when the previous tag's band still holds
 * `value` widened by `margin` on both sides, the previous tag is kept, so a value wobbling at a
 * band edge does not flip the face back and forth.
 */
export function selectBand(
  value: number,
  bands: readonly Band[],
  previousTag: string | undefined,
  margin: number,
): Band {
  const last = bands.length - 1;
  const current =
    bands.find((b, i) => value >= b.from && (value < b.to || (i === last && value <= b.to))) ??
    bands[last]!;
  if (previousTag === undefined || previousTag === current.tag) return current;
  const previous = bands.find((b) => b.tag === previousTag);
  if (previous !== undefined && value >= previous.from - margin && value < previous.to + margin)
    return previous;
  return current;
}
