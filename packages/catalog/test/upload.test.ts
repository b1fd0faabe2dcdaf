import { describe, expect, it } from 'vitest';
import {
  MAX_AUDIO_BYTES,
  MAX_IMAGE_DIMENSION,
  isCatalogError,
  validateAudio,
  validateImage,
} from '../src/index.js';

/** The CatalogError code thrown by `fn`, or 'none'. */
function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isCatalogError(e) ? e.code : 'not-a-catalog-error';
  }
  return 'none';
}

/** ADTS AAC frames: 44.1 kHz, 1024 samples each, `size` bytes each (header included). */
function adts(frames: number, size = 200): Uint8Array {
  const out = new Uint8Array(frames * size);
  for (let i = 0; i < frames; i++) {
    out.set(
      [
        0xff,
        0xf1,
        (1 << 6) | (4 << 2),
        0x80 | ((size >> 11) & 3),
        (size >> 3) & 255,
        ((size & 7) << 5) | 0x1f,
        0xfc,
      ],
      i * size,
    );
  }
  return out;
}

/** An ISO base media file: ftyp with `brand`, then a moov holding `handlers` (hdlr types). */
function iso(brand: string, handlers: string[]): Uint8Array {
  const ftyp = [...u32be(16), ...enc('ftyp'), ...enc(brand), ...u32be(0)];
  const hdlrs = handlers.flatMap((h) => [
    ...u32be(20),
    ...enc('hdlr'),
    0,
    0,
    0,
    0,
    ...u32be(0),
    ...enc(h),
  ]);
  return new Uint8Array([...ftyp, ...u32be(8 + hdlrs.length), ...enc('moov'), ...hdlrs]);
}

const enc = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const u32le = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];
const u32be = (n: number) => [(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const u16le = (n: number) => [n & 255, (n >> 8) & 255];

function wav(seconds: number): Uint8Array {
  const rate = 8000;
  const byteRate = rate * 2;
  const dataSize = seconds * byteRate;
  const fmt = [
    ...u16le(1),
    ...u16le(1),
    ...u32le(rate),
    ...u32le(byteRate),
    ...u16le(2),
    ...u16le(16),
  ];
  const head = [
    ...enc('RIFF'),
    ...u32le(36 + dataSize),
    ...enc('WAVE'),
    ...enc('fmt '),
    ...u32le(16),
    ...fmt,
    ...enc('data'),
    ...u32le(dataSize),
  ];
  const out = new Uint8Array(head.length + dataSize);
  out.set(head);
  return out;
}

function flac(totalSamples: number, rate: number): Uint8Array {
  const info = new Uint8Array(34);
  info[10] = (rate >> 12) & 255;
  info[11] = (rate >> 4) & 255;
  info[12] = ((rate & 15) << 4) | (1 << 1); // stereo
  info[13] = (15 << 4) | Math.floor(totalSamples / 2 ** 32); // 16 bits per sample
  info.set(u32be(totalSamples >>> 0), 14);
  return new Uint8Array([...enc('fLaC'), 0x80, 0, 0, 34, ...info]);
}

function mp3Cbr(frames: number): Uint8Array {
  // MPEG-1 Layer III, 128 kbps, 44.1 kHz: 417-byte frames.
  const frame = new Uint8Array(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  const out = new Uint8Array(10 + frames * 417);
  out.set([...enc('ID3'), 4, 0, 0, 0, 0, 0, 0]);
  for (let i = 0; i < frames; i++) out.set(frame, 10 + i * 417);
  return out;
}

function oggVorbis(granule: number, rate: number): Uint8Array {
  const page = (g: number, body: number[]) => [
    ...enc('OggS'),
    0,
    0,
    ...u32le(g),
    ...u32le(0),
    ...new Array(12).fill(0),
    ...body,
  ];
  const ident = [1, ...enc('vorbis'), ...u32le(0), 2, ...u32le(rate), ...new Array(8).fill(0)];
  return new Uint8Array([...page(0, ident), ...page(granule, [0, 0, 0])]);
}

function m4a(timescale: number, duration: number): Uint8Array {
  const ftyp = [...u32be(16), ...enc('ftyp'), ...enc('M4A '), ...u32be(0)];
  const mvhd = [
    ...u32be(28),
    ...enc('mvhd'),
    0,
    0,
    0,
    0,
    ...u32be(0),
    ...u32be(0),
    ...u32be(timescale),
    ...u32be(duration),
  ];
  return new Uint8Array([...ftyp, ...u32be(8 + mvhd.length), ...enc('moov'), ...mvhd]);
}

describe('validateAudio', () => {
  it('recognises formats by bytes and reads durations', () => {
    expect(validateAudio(wav(2))).toMatchObject({
      format: 'wav',
      mimeType: 'audio/wav',
      durationMs: 2000,
    });
    expect(validateAudio(flac(44100 * 3, 44100))).toMatchObject({
      format: 'flac',
      durationMs: 3000,
    });
    const mp3 = validateAudio(mp3Cbr(100));
    expect(mp3.format).toBe('mp3');
    expect(mp3.durationMs).toBeGreaterThan(2550);
    expect(mp3.durationMs).toBeLessThan(2680); // 100 frames x 1152 / 44100 = 2612 ms
    expect(validateAudio(oggVorbis(48000 * 5, 48000))).toMatchObject({
      format: 'ogg',
      durationMs: 5000,
    });
    expect(validateAudio(m4a(1000, 215_000))).toMatchObject({
      format: 'm4a',
      mimeType: 'audio/mp4',
      durationMs: 215_000,
    });
    // 430 frames x 1024 samples / 44100 Hz = 9985 ms
    expect(validateAudio(adts(430))).toMatchObject({ format: 'aac', durationMs: 9985 });
    // A cut-off last frame still counts the frames before it.
    expect(validateAudio(adts(430).subarray(0, 429 * 200 + 3))).toMatchObject({ durationMs: 9961 });
  });

  it('reads VBR headers and looks past ID3 tags', () => {
    // MPEG-1 Layer III with a Xing header saying 1000 frames: 1000 x 1152 / 44100 = 26122 ms.
    const xing = mp3Cbr(3);
    xing.set([...enc('Xing'), ...u32be(1), ...u32be(1000)], 10 + 36);
    expect(validateAudio(xing)).toMatchObject({ format: 'mp3', durationMs: 26122 });
    const vbri = mp3Cbr(3);
    vbri.set([...enc('VBRI'), 0, 1, 0, 0, 0, 0, ...u32be(0), ...u32be(2000)], 10 + 36);
    expect(validateAudio(vbri).durationMs).toBe(52245);
    // AAC and FLAC behind an ID3v2 tag are still AAC and FLAC.
    const tag = [...enc('ID3'), 4, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0];
    expect(validateAudio(new Uint8Array([...tag, ...adts(43)]))).toMatchObject({
      format: 'aac',
      durationMs: 998,
    });
    expect(validateAudio(new Uint8Array([...tag, ...flac(44100, 44100)]))).toMatchObject({
      format: 'flac',
      durationMs: 1000,
    });
  });

  it('tells audio-only ISO media from video and still images', () => {
    expect(validateAudio(iso('M4A ', [])).format).toBe('m4a');
    expect(validateAudio(iso('isom', ['soun'])).format).toBe('m4a');
    expect(errorCode(() => validateAudio(iso('isom', ['vide', 'soun'])))).toBe('UNSUPPORTED_MEDIA');
    expect(errorCode(() => validateAudio(iso('heic', ['pict'])))).toBe('UNSUPPORTED_MEDIA');
    expect(errorCode(() => validateAudio(iso('avif', [])))).toBe('UNSUPPORTED_MEDIA');
  });

  it('wants two valid frame headers before calling bare bytes MP3 or AAC', () => {
    const noise = new Uint8Array(2000).fill(0x55);
    noise.set([0xff, 0xfb, 0x90, 0x00]); // one plausible MP3 header, then no next frame
    expect(errorCode(() => validateAudio(noise))).toBe('UNSUPPORTED_MEDIA');
    const bad = new Uint8Array([0xff, 0xfb, 0xf0, 0x00, 1, 2, 3]); // bitrate index 15
    expect(errorCode(() => validateAudio(bad))).toBe('UNSUPPORTED_MEDIA');
    const bare = mp3Cbr(5).subarray(10); // frames without the ID3 tag
    expect(validateAudio(bare).format).toBe('mp3');
    expect(errorCode(() => validateAudio(new Uint8Array()))).toBe('UNSUPPORTED_MEDIA');
    expect(() => validateAudio(new Uint8Array())).toThrow(/empty/);
  });

  it('rejects unknown bytes whatever the name, and oversize files', () => {
    const text = new TextEncoder().encode('this is not audio.mp3');
    try {
      validateAudio(text);
      expect.unreachable();
    } catch (e) {
      expect(isCatalogError(e) && e.code).toBe('UNSUPPORTED_MEDIA');
    }
    const big = new Uint8Array(MAX_AUDIO_BYTES + 1);
    big.set(enc('fLaC'));
    expect(() => validateAudio(big)).toThrow(/at most/);
  });
});

describe('validateImage', () => {
  it('accepts JPEG, PNG and WebP by their bytes with size limits', () => {
    expect(validateImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'cover').format).toBe('jpeg');
    expect(validateImage(new Uint8Array([0x89, ...enc('PNG\r\n\u001a\n')]), 'avatar').format).toBe(
      'png',
    );
    expect(
      validateImage(new Uint8Array([...enc('RIFF'), 0, 0, 0, 0, ...enc('WEBP')]), 'cover').mimeType,
    ).toBe('image/webp');
    expect(() => validateImage(new Uint8Array([...enc('GIF89a')]), 'cover')).toThrow(
      /JPEG, PNG or WebP/,
    );
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff]);
    expect(() => validateImage(big, 'avatar')).toThrow(/at most/);
    expect(validateImage(big, 'cover').format).toBe('jpeg');
  });

  it('reads dimensions from JPEG, PNG and WebP headers and enforces pixel limits', () => {
    const png = (w: number, h: number) =>
      new Uint8Array([
        0x89,
        ...enc('PNG\r\n\u001a\n'),
        ...u32be(13),
        ...enc('IHDR'),
        ...u32be(w),
        ...u32be(h),
        8,
        2,
        0,
        0,
        0,
      ]);
    expect(validateImage(png(640, 480), 'cover')).toMatchObject({ width: 640, height: 480 });
    // JPEG: APP0 segment, then SOF0 with height 300 and width 400.
    const jpeg = new Uint8Array([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0,
      16,
      ...enc('JFIF'),
      0,
      1,
      1,
      0,
      0,
      1,
      0,
      1,
      0,
      0,
      0xff,
      0xc0,
      0,
      17,
      8,
      1,
      44,
      1,
      144,
      3,
      1,
      0x22,
      0,
      2,
      0x11,
      1,
      3,
      0x11,
      1,
    ]);
    expect(validateImage(jpeg, 'avatar')).toMatchObject({
      format: 'jpeg',
      width: 400,
      height: 300,
    });
    const webpX = new Uint8Array([
      ...enc('RIFF'),
      0,
      0,
      0,
      0,
      ...enc('WEBPVP8X'),
      ...u32le(10),
      0,
      0,
      0,
      0,
      0xff,
      0x03,
      0,
      0xff,
      0x01,
      0,
    ]);
    expect(validateImage(webpX, 'cover')).toMatchObject({ width: 1024, height: 512 });
    const webpL = new Uint8Array([
      ...enc('RIFF'),
      0,
      0,
      0,
      0,
      ...enc('WEBPVP8L'),
      ...u32le(5),
      0x2f,
      ...u32le(99 | (49 << 14)),
    ]);
    expect(validateImage(webpL, 'cover')).toMatchObject({ width: 100, height: 50 });
    expect(errorCode(() => validateImage(png(5000, 5000), 'avatar'))).toBe('FILE_TOO_LARGE');
    expect(validateImage(png(5000, 5000), 'cover').width).toBe(5000);
    expect(() => validateImage(png(MAX_IMAGE_DIMENSION.cover + 1, 10), 'cover')).toThrow(/pixels/);
    expect(errorCode(() => validateImage(png(0, 10), 'cover'))).toBe('UNSUPPORTED_MEDIA');
    // A header cut short: the format is known, the size is not.
    expect(validateImage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), 'cover')).toMatchObject({
      width: null,
      height: null,
    });
  });
});
