/**
 * One drawing instruction of the offline artwork: an SVG path in the 400x400 face box, filled
 * and/or stroked. The same list is written as SVG (main entry) or drawn on a canvas
 * (`@spoti/face/render`), so both outputs are the same picture.
 */
export interface Shape {
  /** SVG path data in the 400x400 face box. */
  readonly d: string;
  /** Fill colour (CSS colour) or undefined for none. */
  readonly fill?: string;
  /** Stroke colour or undefined for none. */
  readonly stroke?: string;
  /** Stroke width in face-box units (default 6). */
  readonly width?: number;
  /** 0..1 opacity (default 1). */
  readonly opacity?: number;
}

/** Everything a part's drawing function receives. */
export interface PartDrawContext {
  /** Variant of the tag (0-based). */
  readonly variant: number;
  /** Skin colour for the face. */
  readonly skin: string;
  /** Line colour. */
  readonly ink: string;
  /** Paper colour (whites of eyes, shirts, outlined hair). */
  readonly paper: string;
  /** The face's other tags, for parts that adapt (glasses over eyes, clips on hair). */
  readonly tags: Readonly<Record<string, string>>;
}
