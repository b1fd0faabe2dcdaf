/** Small helpers that build SVG path data. */

const r1 = (v: number): string => String(Math.round(v * 10) / 10);

/** Mirrors absolute path data (M, L, C, Q, Z only) across the vertical line x = 200. */
export function mirror(d: string): string {
  return d.replace(/([MLCQ])([^MLCQZ]*)/g, (_, cmd: string, args: string) => {
    const nums = args
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    const out = nums.map((n, i) => (i % 2 === 0 ? r1(400 - n) : r1(n)));
    return `${cmd}${out.join(' ')} `;
  });
}

/** A full circle. */
export function circle(cx: number, cy: number, r: number): string {
  return `M${r1(cx - r)} ${r1(cy)} A${r1(r)} ${r1(r)} 0 1 0 ${r1(cx + r)} ${r1(cy)} A${r1(r)} ${r1(r)} 0 1 0 ${r1(cx - r)} ${r1(cy)} Z`;
}

/** An ellipse. */
export function ellipse(cx: number, cy: number, rx: number, ry: number): string {
  return `M${r1(cx - rx)} ${r1(cy)} A${r1(rx)} ${r1(ry)} 0 1 0 ${r1(cx + rx)} ${r1(cy)} A${r1(rx)} ${r1(ry)} 0 1 0 ${r1(cx - rx)} ${r1(cy)} Z`;
}

/** A rounded rectangle. */
export function roundRect(x: number, y: number, w: number, h: number, r: number): string {
  const q = Math.min(r, w / 2, h / 2);
  return `M${r1(x + q)} ${r1(y)} L${r1(x + w - q)} ${r1(y)} Q${r1(x + w)} ${r1(y)} ${r1(x + w)} ${r1(y + q)} L${r1(x + w)} ${r1(y + h - q)} Q${r1(x + w)} ${r1(y + h)} ${r1(x + w - q)} ${r1(y + h)} L${r1(x + q)} ${r1(y + h)} Q${r1(x)} ${r1(y + h)} ${r1(x)} ${r1(y + h - q)} L${r1(x)} ${r1(y + q)} Q${r1(x)} ${r1(y)} ${r1(x + q)} ${r1(y)} Z`;
}

/** A point on an ellipse at `deg` degrees (0 = right, 90 = down, screen coordinates). */
export function onEllipse(
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  deg: number,
): [number, number] {
  const t = (deg * Math.PI) / 180;
  return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)];
}

/**
 * Bumps (arcs bulging to the left of travel, i.e. outward on a clockwise contour) through the
 * given points, starting from the current point. `bulge` scales the arc radius (>= 0.5).
 */
export function bumpsThrough(points: readonly (readonly [number, number])[], bulge = 0.62): string {
  let d = '';
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    const chord = Math.hypot(x1 - x0, y1 - y0);
    const r = Math.max(chord * bulge, chord / 2 + 0.01);
    d += `A${r1(r)} ${r1(r)} 0 0 1 ${r1(x1)} ${r1(y1)} `;
  }
  return d;
}

/** Points along an ellipse from `from` to `to` degrees (clockwise on screen), `n` steps. */
export function arcPoints(
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  from: number,
  to: number,
  n: number,
): [number, number][] {
  return Array.from({ length: n + 1 }, (_, i) =>
    onEllipse(cx, cy, rx, ry, from + ((to - from) * i) / n),
  );
}

/** A closed outline made of points joined with straight lines. */
export function polygon(points: readonly (readonly [number, number])[]): string {
  return `${points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r1(x)} ${r1(y)}`).join(' ')} Z`;
}

/** Formats a number for path data. */
export const n = r1;

/** Scales absolute path data (M, L, C, Q, Z only) by `k` around (cx, cy). */
export function scalePath(d: string, cx: number, cy: number, k: number): string {
  return d.replace(/([MLCQ])([^MLCQZ]*)/g, (_, cmd: string, args: string) => {
    const nums = args
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    const out = nums.map((v, i) => r1(i % 2 === 0 ? cx + (v - cx) * k : cy + (v - cy) * k));
    return `${cmd}${out.join(' ')} `;
  });
}
