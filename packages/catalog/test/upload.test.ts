import { describe, expect, it } from 'vitest';
import { MAX_AUDIO_BYTES, isCatalogError, validateAudio, validateImage } from '../src/index.js';

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
    expect(validateAudio(new Uint8Array([0xff, 0xf1, 0x50, 0x80, 0, 0]))).toMatchObject({
      format: 'aac',
      durationMs: null,
    });
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
});
