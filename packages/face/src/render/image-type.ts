/** Image types a remote face may have. SVG is not among them: it can carry scripts and links. */
export const REMOTE_IMAGE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
];

const ascii = (bytes: Uint8Array, from: number, text: string): boolean => {
  for (let k = 0; k < text.length; k++) if (bytes[from + k] !== text.charCodeAt(k)) return false;
  return true;
};

/**
 * The image type the first bytes of `bytes` show (PNG, JPEG, GIF, WebP, AVIF), or null when they
 * match none of them (HTML, SVG, anything else).
 */
export function sniffImageType(bytes: Uint8Array): string | null {
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    ascii(bytes, 1, 'PNG') &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  ) {
    return 'image/png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'image/jpeg';
  }
  if (bytes.length >= 6 && (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a'))) {
    return 'image/gif';
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'image/webp';
  if (
    bytes.length >= 12 &&
    ascii(bytes, 4, 'ftyp') &&
    (ascii(bytes, 8, 'avif') || ascii(bytes, 8, 'avis'))
  ) {
    return 'image/avif';
  }
  return null;
}
