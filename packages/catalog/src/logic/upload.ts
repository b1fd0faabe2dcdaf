import { CatalogError } from '../errors/catalog-error.js';

/** Audio formats recognised by their bytes. */
export type AudioFormat = 'mp3' | 'wav' | 'flac' | 'ogg' | 'm4a' | 'aac';
/** Image formats recognised by their bytes. */
export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** A validated audio upload. */
export interface AudioInfo {
  readonly format: AudioFormat;
  readonly mimeType: string;
  readonly sizeBytes: number;
  /** Duration in ms when the format allows reading it from the header, else null. */
  readonly durationMs: number | null;
}

/** A validated image upload. */
export interface ImageInfo {
  readonly format: ImageFormat;
  readonly mimeType: string;
  readonly sizeBytes: number;
}

/** Largest accepted audio file: 50 MB. */
export const MAX_AUDIO_BYTES = 50 * 1024 * 1024;
/** Largest accepted image per purpose. */
export const MAX_IMAGE_BYTES = { cover: 10 * 1024 * 1024, avatar: 4 * 1024 * 1024 } as const;

const MIME: Record<AudioFormat | ImageFormat, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

const ascii = (b: Uint8Array, at: number, text: string): boolean => {
  if (at + text.length > b.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
};

function indexOf(b: Uint8Array, text: string, from = 0): number {
  outer: for (let i = from; i <= b.length - text.length; i++) {
    for (let j = 0; j < text.length; j++) if (b[i + j] !== text.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

function lastIndexOf(b: Uint8Array, text: string): number {
  outer: for (let i = b.length - text.length; i >= 0; i--) {
    for (let j = 0; j < text.length; j++) if (b[i + j] !== text.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function detectAudio(b: Uint8Array): AudioFormat | null {
  if (ascii(b, 0, 'ID3')) return 'mp3';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return 'wav';
  if (ascii(b, 0, 'fLaC')) return 'flac';
  if (ascii(b, 0, 'OggS')) return 'ogg';
  if (ascii(b, 4, 'ftyp')) return 'm4a';
  if (b.length >= 2 && b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0) return 'aac';
  if (b.length >= 2 && b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0) return 'mp3';
  return null;
}

const MP3_BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MP3_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

function mp3Duration(b: Uint8Array): number | null {
  let offset = 0;
  if (ascii(b, 0, 'ID3') && b.length >= 10) {
    offset =
      10 +
      (((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f));
  }
  while (offset + 4 <= b.length && !(b[offset] === 0xff && (b[offset + 1]! & 0xe0) === 0xe0))
    offset++;
  if (offset + 4 > b.length) return null;
  const h1 = b[offset + 1]!;
  const h2 = b[offset + 2]!;
  const version = (h1 >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
  const layer = (h1 >> 1) & 3; // 1 = Layer III
  if (version === 1 || layer !== 1) return null;
  const bitrate = (version === 3 ? MP3_BITRATES_V1_L3 : MP3_BITRATES_V2_L3)[h2 >> 4];
  const rate = MP3_RATES[version]?.[(h2 >> 2) & 3];
  if (!bitrate || !rate) return null;
  const samplesPerFrame = version === 3 ? 1152 : 576;
  const xing = Math.max(
    indexOf(b.subarray(offset, offset + 64), 'Xing'),
    indexOf(b.subarray(offset, offset + 64), 'Info'),
  );
  if (xing >= 0) {
    const at = offset + xing;
    const flags = view(b).getUint32(at + 4);
    if (flags & 1 && at + 12 <= b.length) {
      const frames = view(b).getUint32(at + 8);
      return Math.round((frames * samplesPerFrame * 1000) / rate);
    }
  }
  return Math.round(((b.length - offset) * 8) / bitrate);
}

function wavDuration(b: Uint8Array): number | null {
  const v = view(b);
  let at = 12;
  let byteRate = 0;
  while (at + 8 <= b.length) {
    const size = v.getUint32(at + 4, true);
    if (ascii(b, at, 'fmt ') && at + 16 <= b.length) byteRate = v.getUint32(at + 16, true);
    if (ascii(b, at, 'data')) return byteRate > 0 ? Math.round((size * 1000) / byteRate) : null;
    at += 8 + size + (size % 2);
  }
  return null;
}

function flacDuration(b: Uint8Array): number | null {
  // STREAMINFO: 4-byte marker, 4-byte block header, then 18 bytes before the sample fields.
  if (b.length < 8 + 18) return null;
  const s = 8 + 10;
  const rate = (b[s]! << 12) | (b[s + 1]! << 4) | (b[s + 2]! >> 4);
  const total = (b[s + 3]! & 0x0f) * 2 ** 32 + view(b).getUint32(s + 4);
  return rate > 0 && total > 0 ? Math.round((total * 1000) / rate) : null;
}

function oggDuration(b: Uint8Array): number | null {
  const v = view(b);
  let rate = 0;
  let preSkip = 0;
  const vorbis = indexOf(b, '\u0001vorbis');
  const opus = indexOf(b, 'OpusHead');
  if (vorbis >= 0 && vorbis + 16 <= b.length) rate = v.getUint32(vorbis + 12, true);
  else if (opus >= 0 && opus + 12 <= b.length) {
    rate = 48000;
    preSkip = v.getUint16(opus + 10, true);
  }
  const last = lastIndexOf(b, 'OggS');
  if (rate === 0 || last < 0 || last + 14 > b.length) return null;
  const granule = Number(v.getBigUint64(last + 6, true));
  return granule > preSkip ? Math.round(((granule - preSkip) * 1000) / rate) : null;
}

function m4aDuration(b: Uint8Array): number | null {
  const at = indexOf(b, 'mvhd');
  if (at < 0) return null;
  const v = view(b);
  const version = b[at + 4];
  if (version === 1 && at + 32 <= b.length) {
    const timescale = v.getUint32(at + 24);
    const duration = Number(v.getBigUint64(at + 28));
    return timescale > 0 ? Math.round((duration * 1000) / timescale) : null;
  }
  if (at + 24 > b.length) return null;
  const timescale = v.getUint32(at + 16);
  const duration = v.getUint32(at + 20);
  return timescale > 0 ? Math.round((duration * 1000) / timescale) : null;
}

/**
 * Validates an audio upload by its bytes (never its name): MP3, WAV, FLAC, OGG (Vorbis/Opus),
 * M4A and ADTS AAC, at most 50 MB. Reads the duration from MP3 (Xing/Info or CBR), WAV, FLAC,
 * OGG and M4A headers; ADTS AAC gives null. Throws a `CatalogError` with code
 * `FILE_TOO_LARGE` or `UNSUPPORTED_MEDIA` otherwise.
 *
 * @example
 * ```ts
 * const info = validateAudio(await readFile('song.bin')); // { format: 'flac', durationMs: 215000, ... }
 * ```
 */
export function validateAudio(bytes: Uint8Array): AudioInfo {
  if (bytes.length > MAX_AUDIO_BYTES) {
    throw new CatalogError({
      code: 'FILE_TOO_LARGE',
      message: `Audio files may be at most ${MAX_AUDIO_BYTES} bytes; this one has ${bytes.length}`,
    });
  }
  const format = detectAudio(bytes);
  if (format === null) {
    throw new CatalogError({
      code: 'UNSUPPORTED_MEDIA',
      message: 'Not a supported audio file (expected MP3, WAV, FLAC, OGG, M4A or AAC)',
    });
  }
  let durationMs: number | null = null;
  try {
    durationMs =
      format === 'mp3'
        ? mp3Duration(bytes)
        : format === 'wav'
          ? wavDuration(bytes)
          : format === 'flac'
            ? flacDuration(bytes)
            : format === 'ogg'
              ? oggDuration(bytes)
              : format === 'm4a'
                ? m4aDuration(bytes)
                : null;
  } catch {
    durationMs = null; // truncated header: the format is known, the duration is not
  }
  return { format, mimeType: MIME[format], sizeBytes: bytes.length, durationMs };
}

/**
 * Validates a cover (≤ 10 MB) or avatar (≤ 4 MB) image by its bytes: JPEG, PNG or WebP.
 *
 * @example
 * ```ts
 * validateImage(bytes, 'avatar'); // { format: 'png', mimeType: 'image/png', sizeBytes: 1234 }
 * ```
 */
export function validateImage(bytes: Uint8Array, purpose: 'cover' | 'avatar'): ImageInfo {
  const max = MAX_IMAGE_BYTES[purpose];
  if (bytes.length > max) {
    throw new CatalogError({
      code: 'FILE_TOO_LARGE',
      message: `A ${purpose} image may be at most ${max} bytes; this one has ${bytes.length}`,
    });
  }
  let format: ImageFormat | null = null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) format = 'jpeg';
  else if (ascii(bytes, 0, '\u0089PNG\r\n\u001a\n')) format = 'png';
  else if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) format = 'webp';
  if (format === null) {
    throw new CatalogError({
      code: 'UNSUPPORTED_MEDIA',
      message: 'Not a supported image (expected JPEG, PNG or WebP)',
    });
  }
  return { format, mimeType: MIME[format], sizeBytes: bytes.length };
}
