const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * What {@link fitText} needs from a canvas context: text measurement. Declared here so the
 * package's types resolve without `@napi-rs/canvas` installed; its `SKRSContext2D` (and a browser
 * `CanvasRenderingContext2D`) satisfy it.
 */
export interface TextMeasurer {
  /** Measures `text` in the context's current font; only `width` is read. */
  measureText(text: string): { readonly width: number };
}

/**
 * Graphemes of one line that {@link fitText} considers: more never fit a card line at the
 * renderer's sizes (the widest line, 1,500 px, holds about 300 of the narrowest glyphs at the
 * smallest font), and a longer name is cut here before anything is measured.
 */
export const MAX_LINE_GRAPHEMES = 400;

/**
 * Shortens `text` with an ellipsis (on grapheme boundaries) until its measured width fits
 * `maxWidth`. Work and memory are bounded whatever the text's length: at most
 * {@link MAX_LINE_GRAPHEMES} graphemes are read, and only prefixes up to twice the length that
 * fits are measured (a doubling search, then a bisection).
 *
 * @param ctx - measures text in its current font (a canvas 2D context)
 * @param text - the text to fit
 * @param maxWidth - the widest the result may be, in the context's pixels
 *
 * @example
 * ```ts
 * ctx.font = `700 52px ${FONT_FAMILY}`;
 * ctx.fillText(fitText(ctx, userName, 560), 96, 676);
 * ```
 */
export function fitText(ctx: TextMeasurer, text: string, maxWidth: number): string {
  const graphemes: string[] = [];
  let cut = false;
  for (const { segment } of segmenter.segment(text)) {
    if (graphemes.length === MAX_LINE_GRAPHEMES) {
      cut = true;
      break;
    }
    graphemes.push(segment);
  }
  if (!cut && ctx.measureText(text).width <= maxWidth) return text;
  const shortened = (count: number): string => `${graphemes.slice(0, count).join('').trimEnd()}…`;
  const fits = (count: number): boolean => ctx.measureText(shortened(count)).width <= maxWidth;
  // lo always fits (0 stands for the bare ellipsis); grow by doubling, then bisect below hi.
  let lo = 0;
  let hi = 1;
  while (hi <= graphemes.length && fits(hi)) {
    lo = hi;
    hi *= 2;
  }
  hi = Math.min(hi - 1, graphemes.length);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '…' : shortened(lo);
}
