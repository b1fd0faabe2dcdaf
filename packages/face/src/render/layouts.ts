/** Layouts: a 1024x1024 profile picture or a 1500x500 banner. */
export type FaceLayout = 'square' | 'banner';

/** Where the figure goes: its top-left corner and the side of its square. */
export interface FigureSlot {
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** Widen the figure's box by the Notionists zoom, so raised arms are not cut at its sides. */
  readonly widen: boolean;
}

/** A line of text: its start (or, right-aligned, its end), baseline, widest extent and size. */
export interface TextSlot {
  readonly x: number;
  readonly y: number;
  readonly maxWidth: number;
  readonly px: number;
}

/** A column of the statistics card. */
export interface ColumnSlot {
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

/** The statistics card and everything on it. */
export interface CardSlots {
  readonly figure: FigureSlot;
  readonly box: {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly radius: number;
  };
  readonly name: TextSlot;
  /** The period pill, right-aligned at `x` (shown with the Spotify frame only). */
  readonly period: TextSlot;
  /** Top genre and hours. */
  readonly stats: ColumnSlot;
  /** The top three of the list. */
  readonly list: ColumnSlot;
  readonly generated: TextSlot;
}

/**
 * One format, described in its design pixels (`width` x `height`); a picture of another width is
 * the same picture scaled by `actual width / width`.
 */
export interface LayoutSpec {
  readonly width: number;
  readonly height: number;
  /** True when the caller's `size` sets the width (the square); else the size is fixed. */
  readonly resizable: boolean;
  /** The Spotify frame: inset from the edges, corner radius, line width. */
  readonly frame: { readonly inset: number; readonly radius: number; readonly line: number };
  /** The watermark, right-aligned `right` from the right edge and `bottom` from the bottom. */
  readonly watermark: {
    readonly right: number;
    readonly bottom: number;
    readonly maxWidth: number;
    readonly px: number;
  };
  /** Without statistics: the figure, and whether music notes fill the space around it. */
  readonly bare: { readonly figure: FigureSlot; readonly notes: boolean };
  /** With statistics. */
  readonly card: CardSlots;
}

const BANNER_FIGURE = 470;

/**
 * Every layout as data; one routine (`drawLayout`) draws any of them.
 *
 * @example
 * ```ts
 * const { width, height } = FACE_LAYOUTS.banner; // 1500, 500
 * ```
 */
export const FACE_LAYOUTS: Readonly<Record<FaceLayout, LayoutSpec>> = {
  square: {
    width: 1024,
    height: 1024,
    resizable: true,
    frame: { inset: 12, radius: 48, line: 14 },
    watermark: { right: 48, bottom: 34, maxWidth: 300, px: 20 },
    bare: { figure: { x: 0, y: 0, size: 1024, widen: false }, notes: false },
    card: {
      figure: { x: 237, y: 40, size: 550, widen: true },
      box: { x: 56, y: 600, width: 912, height: 364, radius: 40 },
      name: { x: 96, y: 676, maxWidth: 560, px: 52 },
      period: { x: 928, y: 632, maxWidth: 260, px: 24 },
      stats: { x: 96, y: 742, width: 380 },
      list: { x: 500, y: 742, width: 430 },
      generated: { x: 96, y: 940, maxWidth: 400, px: 20 },
    },
  },
  banner: {
    width: 1500,
    height: 500,
    resizable: false,
    frame: { inset: 10, radius: 36, line: 12 },
    watermark: { right: 40, bottom: 28, maxWidth: 300, px: 20 },
    bare: {
      figure: { x: (1500 - BANNER_FIGURE) / 2, y: 30, size: BANNER_FIGURE, widen: true },
      notes: true,
    },
    card: {
      figure: { x: 50, y: 30, size: BANNER_FIGURE, widen: true },
      box: { x: 560, y: 56, width: 884, height: 388, radius: 36 },
      name: { x: 604, y: 134, maxWidth: 560, px: 52 },
      period: { x: 1404, y: 88, maxWidth: 260, px: 24 },
      stats: { x: 604, y: 206, width: 360 },
      list: { x: 980, y: 206, width: 430 },
      generated: { x: 604, y: 420, maxWidth: 400, px: 20 },
    },
  },
};
