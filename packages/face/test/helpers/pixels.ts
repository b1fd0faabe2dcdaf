import { createCanvas, loadImage } from '@napi-rs/canvas';

/** Decodes an image to RGBA pixels. */
export async function pixels(
  data: Uint8Array,
): Promise<{ width: number; height: number; rgba: Uint8ClampedArray }> {
  const img = await loadImage(Buffer.from(data));
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return {
    width: img.width,
    height: img.height,
    rgba: ctx.getImageData(0, 0, img.width, img.height).data,
  };
}

/** Share of pixels whose largest channel difference exceeds `threshold`. */
export async function diffShare(a: Uint8Array, b: Uint8Array, threshold = 24): Promise<number> {
  const x = await pixels(a);
  const y = await pixels(b);
  if (x.width !== y.width || x.height !== y.height) return 1;
  let differing = 0;
  for (let i = 0; i < x.rgba.length; i += 4) {
    let max = 0;
    for (let c = 0; c < 4; c++) max = Math.max(max, Math.abs(x.rgba[i + c]! - y.rgba[i + c]!));
    if (max > threshold) differing++;
  }
  return differing / (x.width * x.height);
}

/** RGBA of one pixel. */
export async function pixelAt(data: Uint8Array, px: number, py: number): Promise<number[]> {
  const p = await pixels(data);
  const i = (py * p.width + px) * 4;
  return [...p.rgba.slice(i, i + 4)];
}
