import { CatalogError } from '../errors/catalog-error.js';

/**
 * Audio formats recognised by their bytes.
 *
 * @example
 * ```ts
 * const lossless = (f: AudioFormat) => f === 'flac' || f === 'wav';
 * ```
 */
export type AudioFormat = 'mp3' | 'wav' | 'flac' | 'ogg' | 'm4a' | 'aac';
/**
 * Image formats recognised by their bytes.
 *
 * @example
 * ```ts
 * const f: ImageFormat = validateImage(bytes, 'cover').format;
 * ```
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp';

/**
 * A validated audio upload.
 *
 * @example
 * ```ts
 * const { format, durationMs }: AudioInfo = validateAudio(bytes);
 * ```
 */
export interface AudioInfo {
  readonly format: AudioFormat;
  readonly mimeType: string;
  readonly sizeBytes: number;
  /** Duration in ms when the format allows reading it from the header, else null. */
  readonly durationMs: number | null;
}

/**
 * A validated image upload.
 *
 * @example
 * ```ts
 * const { width, height }: ImageInfo = validateImage(bytes, 'avatar');
 * ```
 */
export interface ImageInfo {
  readonly format: ImageFormat;
  readonly mimeType: string;
  readonly sizeBytes: number;
  /** Pixel width read from the header, or null when the header is too short to say. */
  readonly width: number | null;
  /** Pixel height read from the header, or null when the header is too short to say. */
  readonly height: number | null;
}

/**
 * Largest accepted audio file: 50 MB.
 *
 * @example
 * ```ts
 * if (contentLength > MAX_AUDIO_BYTES) reply(413);
 * ```
 */
export const MAX_AUDIO_BYTES = 50 * 1024 * 1024;
/**
 * Largest accepted image per purpose.
 *
 * @example
 * ```ts
 * MAX_IMAGE_BYTES.avatar; // 4194304
 * ```
 */
export const MAX_IMAGE_BYTES = { cover: 10 * 1024 * 1024, avatar: 4 * 1024 * 1024 } as const;
/**
 * Largest accepted width and height in pixels per purpose (guards against decompression bombs).
 *
 * @example
 * ```ts
 * MAX_IMAGE_DIMENSION.cover; // 10000
 * ```
 */
export const MAX_IMAGE_DIMENSION = { cover: 10_000, avatar: 4_096 } as const;

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

/** Size of an ID3v2 tag at the start (header, body and optional footer), or 0. */
function id3Size(b: Uint8Array): number {
  if (!ascii(b, 0, 'ID3') || b.length < 10) return 0;
  const body =
    ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
  return 10 + body + (b[5]! & 0x10 ? 10 : 0);
}

interface MpegFrame {
  readonly version: number; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  readonly bitrateKbps: number;
  readonly sampleRate: number;
  readonly length: number;
  readonly samples: number;
}

/** Parses an MPEG audio Layer III frame header at `at`, or null when there is none. */
function mp3Frame(b: Uint8Array, at: number): MpegFrame | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const h1 = b[at + 1]!;
  const h2 = b[at + 2]!;
  const version = (h1 >> 3) & 3;
  const layer = (h1 >> 1) & 3;
  if (version === 1 || layer !== 1) return null; // reserved version, or not Layer III
  const bitrateKbps = (version === 3 ? MP3_BITRATES_V1_L3 : MP3_BITRATES_V2_L3)[h2 >> 4];
  const sampleRate = MP3_RATES[version]?.[(h2 >> 2) & 3];
  if (!bitrateKbps || !sampleRate) return null; // free-format, bad bitrate or reserved rate
  const padding = (h2 >> 1) & 1;
  const samples = version === 3 ? 1152 : 576;
  const length = Math.floor(((samples / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  return { version, bitrateKbps, sampleRate, length, samples };
}

const ADTS_RATES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

/** Parses an ADTS (AAC) frame header at `at`: frame length and samples, or null. */
function adtsFrame(
  b: Uint8Array,
  at: number,
): { length: number; samples: number; rate: number } | null {
  if (at + 7 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xf6) !== 0xf0) return null;
  const rate = ADTS_RATES[(b[at + 2]! >> 2) & 0x0f];
  const length = ((b[at + 3]! & 0x03) << 11) | (b[at + 4]! << 3) | (b[at + 5]! >> 5);
  if (rate === undefined || length < 7) return null;
  return { length, samples: 1024 * ((b[at + 6]! & 0x03) + 1), rate };
}

/**
 * A stream of frames is recognised when the first header is valid and, if the file goes on, the
 * next frame starts where the first one says it ends (random bytes rarely pass both).
 */
function framesAt<F extends { length: number }>(
  b: Uint8Array,
  at: number,
  parse: (b: Uint8Array, at: number) => F | null,
): boolean {
  const first = parse(b, at);
  if (first === null) return false;
  const next = at + first.length;
  return next >= b.length || parse(b, next) !== null;
}

/** ISO base media brands that hold still images or video, never plain audio. */
const NON_AUDIO_BRANDS = new Set([
  'heic',
  'heix',
  'heim',
  'heis',
  'hevc',
  'mif1',
  'msf1',
  'avif',
  'avis',
  'avci',
  'crx ',
  'jp2 ',
  'jpx ',
  '3gp4',
  '3gp5',
  '3gp6',
  '3g2a',
  'qt  ',
]);
/** Brands that say "audio" by themselves. */
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

/** Whether an ISO base media file (`ftyp` at offset 4) is audio: an audio brand, or only sound tracks. */
function isoIsAudio(b: Uint8Array): boolean {
  const major = String.fromCharCode(...b.subarray(8, 12));
  if (AUDIO_BRANDS.has(major)) return true;
  if (NON_AUDIO_BRANDS.has(major)) return false;
  // A generic brand (isom, mp42, ...): audio when it has a sound track and no video track.
  return indexOf(b, 'soun') >= 0 && indexOf(b, 'vide') < 0 && indexOf(b, 'pict') < 0;
}

function detectAudio(b: Uint8Array): AudioFormat | null {
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return 'wav';
  if (ascii(b, 0, 'fLaC')) return 'flac';
  if (ascii(b, 0, 'OggS')) return 'ogg';
  if (ascii(b, 4, 'ftyp')) return isoIsAudio(b) ? 'm4a' : null;
  const tag = id3Size(b);
  if (tag > 0) {
    // An ID3v2 tag may precede MP3 frames (usually), FLAC or AAC.
    if (ascii(b, tag, 'fLaC')) return 'flac';
    if (adtsFrame(b, tag) !== null) return 'aac';
    return 'mp3';
  }
  if (framesAt(b, 0, adtsFrame)) return 'aac';
  if (framesAt(b, 0, mp3Frame)) return 'mp3';
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
  let offset = id3Size(b);
  // Find the first real frame (skipping padding after the tag).
  while (offset + 4 <= b.length && mp3Frame(b, offset) === null) offset++;
  const frame = mp3Frame(b, offset);
  if (frame === null) return null;
  const head = b.subarray(offset, offset + 64);
  // VBR files say their frame count in a Xing/Info header or a VBRI header (at byte 36).
  const xing = Math.max(indexOf(head, 'Xing'), indexOf(head, 'Info'));
  if (xing >= 0 && offset + xing + 12 <= b.length) {
    const at = offset + xing;
    const flags = view(b).getUint32(at + 4);
    if (flags & 1) {
      const frames = view(b).getUint32(at + 8);
      return Math.round((frames * frame.samples * 1000) / frame.sampleRate);
    }
  }
  if (ascii(b, offset + 36, 'VBRI') && offset + 36 + 18 <= b.length) {
    const frames = view(b).getUint32(offset + 36 + 14);
    return Math.round((frames * frame.samples * 1000) / frame.sampleRate);
  }
  // Constant bitrate: the audio bytes (without a trailing ID3v1 tag) over the bitrate.
  const end = b.length >= 128 && ascii(b, b.length - 128, 'TAG') ? b.length - 128 : b.length;
  return Math.round(((end - offset) * 8) / frame.bitrateKbps);
}

/** Sums the samples of consecutive ADTS frames. */
function aacDuration(b: Uint8Array): number | null {
  let at = id3Size(b);
  let samples = 0;
  let rate = 0;
  for (let frame = adtsFrame(b, at); frame !== null; frame = adtsFrame(b, at)) {
    samples += frame.samples;
    rate = frame.rate;
    at += frame.length;
  }
  return rate > 0 ? Math.round((samples * 1000) / rate) : null;
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

function flacDuration(bytes: Uint8Array): number | null {
  const b = bytes.subarray(ascii(bytes, 0, 'fLaC') ? 0 : id3Size(bytes));
  // STREAMINFO (block type 0, always first): 4-byte marker, 4-byte block header, then 10 bytes
  // before the sample-rate and total-samples fields.
  if (b.length < 8 + 18 || (b[4]! & 0x7f) !== 0) return null;
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
 * Validates an audio upload by its bytes (never its name): MP3 (MPEG Layer III, with or without an
 * ID3v2 tag), WAV, FLAC, OGG (Vorbis/Opus), M4A (ISO media with an audio brand, or with sound
 * tracks only: video, HEIC and AVIF are refused) and ADTS AAC, at most 50 MB. Bare MPEG/ADTS
 * streams must show two consecutive valid frame headers. The duration comes from the MP3
 * Xing/Info or VBRI header (else the constant bitrate), WAV `fmt`/`data`, FLAC STREAMINFO, the last
 * OGG granule position, M4A `mvhd`, or the sum of the ADTS frames; null when the header is cut
 * short. Throws a `CatalogError` with code `FILE_TOO_LARGE` or `UNSUPPORTED_MEDIA` otherwise.
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
  if (bytes.length === 0) {
    throw new CatalogError({ code: 'UNSUPPORTED_MEDIA', message: 'The audio file is empty' });
  }
  const format = detectAudio(bytes);
  if (format === null) {
    throw new CatalogError({
      code: 'UNSUPPORTED_MEDIA',
      message:
        'Not a supported audio file (expected MP3, WAV, FLAC, OGG, M4A or AAC; recognised by content, not by name)',
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
                : aacDuration(bytes);
  } catch {
    durationMs = null; // truncated header: the format is known, the duration is not
  }
  return { format, mimeType: MIME[format], sizeBytes: bytes.length, durationMs };
}

/** Reads width and height from a JPEG (SOFn), PNG (IHDR) or WebP (VP8, VP8L, VP8X) header. */
function imageSize(b: Uint8Array, format: ImageFormat): { width: number; height: number } | null {
  const v = view(b);
  if (format === 'png') {
    return b.length >= 24 && ascii(b, 12, 'IHDR')
      ? { width: v.getUint32(16), height: v.getUint32(20) }
      : null;
  }
  if (format === 'webp') {
    if (ascii(b, 12, 'VP8 ') && b.length >= 30) {
      return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
    }
    if (ascii(b, 12, 'VP8L') && b.length >= 25) {
      const bits = v.getUint32(21, true);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    if (ascii(b, 12, 'VP8X') && b.length >= 30) {
      const u24 = (at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
      return { width: u24(24) + 1, height: u24(27) + 1 };
    }
    return null;
  }
  // JPEG: walk the marker segments to the first start-of-frame.
  let at = 2;
  while (at + 9 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const isSof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { width: v.getUint16(at + 7), height: v.getUint16(at + 5) };
    at += 2 + v.getUint16(at + 2);
  }
  return null;
}

/**
 * Validates a cover (≤ 10 MB, ≤ 10,000 px a side) or avatar (≤ 4 MB, ≤ 4,096 px a side) image by
 * its bytes: JPEG, PNG or WebP. Width and height come from the header (null when it is cut short);
 * a header that says 0 pixels, or more than the limit, is refused. Throws a `CatalogError` with code
 * `FILE_TOO_LARGE` or `UNSUPPORTED_MEDIA`.
 *
 * @example
 * ```ts
 * validateImage(bytes, 'avatar'); // { format: 'png', mimeType: 'image/png', sizeBytes: 1234, width: 512, height: 512 }
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
      message:
        'Not a supported image (expected JPEG, PNG or WebP; recognised by content, not by name)',
    });
  }
  const size = imageSize(bytes, format);
  if (size !== null) {
    const side = MAX_IMAGE_DIMENSION[purpose];
    if (size.width === 0 || size.height === 0) {
      throw new CatalogError({
        code: 'UNSUPPORTED_MEDIA',
        message: `The ${format} header says ${size.width}×${size.height} pixels: the image is corrupt`,
      });
    }
    if (size.width > side || size.height > side) {
      throw new CatalogError({
        code: 'FILE_TOO_LARGE',
        message: `A ${purpose} image may be at most ${side}×${side} pixels; this one is ${size.width}×${size.height}`,
      });
    }
  }
  return {
    format,
    mimeType: MIME[format],
    sizeBytes: bytes.length,
    width: size?.width ?? null,
    height: size?.height ?? null,
  };
}
