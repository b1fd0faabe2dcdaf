import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import {
  type AudioFormat,
  type AudioInfo,
  MAX_AUDIO_BYTES,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_DIMENSION,
  isCatalogError,
  validateAudio,
  validateImage,
} from '@spoti/catalog';
import { parseFile } from 'music-metadata';
import type { ObjectInfo, ObjectStore } from '../../storage/object-store.js';
import { MediaProblem } from './media-problem.js';
import { type UploadForm, receiveOneFile } from './multipart-file.js';

/** Types a client may declare for each detected audio format (besides a generic binary type). */
const AUDIO_ALIASES: Record<AudioFormat, readonly string[]> = {
  mp3: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3', 'audio/x-mp3'],
  wav: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'],
  flac: ['audio/flac', 'audio/x-flac'],
  ogg: ['audio/ogg', 'application/ogg', 'audio/opus', 'audio/vorbis'],
  m4a: ['audio/mp4', 'audio/m4a', 'audio/x-m4a', 'audio/aac'],
  aac: ['audio/aac', 'audio/x-aac', 'audio/aacp'],
};
const IMAGE_ALIASES: Record<string, readonly string[]> = {
  jpeg: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  png: ['image/png'],
  webp: ['image/webp'],
};
const GENERIC = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** The audio upload form: what {@link receiveAudio} accepts, and what the document says. */
export const AUDIO_FORM: UploadForm = {
  what: 'audio file',
  maxBytes: MAX_AUDIO_BYTES,
  mediaTypes: Object.values(AUDIO_ALIASES).flat(),
  description:
    'MP3, WAV, FLAC, OGG (Vorbis, Opus), M4A or ADTS AAC, recognised by content; its duration must be readable.',
};

/** The cover or avatar upload form: what {@link receiveImage} accepts. */
export function imageForm(purpose: 'cover' | 'avatar'): UploadForm {
  const side = MAX_IMAGE_DIMENSION[purpose];
  return {
    what: `${purpose} image`,
    maxBytes: MAX_IMAGE_BYTES[purpose],
    mediaTypes: Object.values(IMAGE_ALIASES).flat(),
    description: `JPEG, PNG or WebP, recognised by content, at most ${side} pixels a side.`,
  };
}

/** Bytes of the head used to recognise the format. */
const HEAD_BYTES = 1024 * 1024;
/** Enough bytes to refuse something that is plainly no audio while it is still arriving. */
const EARLY_BYTES = 16;

function checkDeclared(declared: string, detected: string, allowed: readonly string[]): void {
  if (GENERIC.has(declared) || allowed.includes(declared)) return;
  throw new MediaProblem(
    'MEDIA_TYPE_MISMATCH',
    `The file was sent as ${declared} but its content is ${detected}`,
  );
}

function asProblem(error: unknown, what: string): never {
  if (isCatalogError(error)) {
    throw new MediaProblem(
      error.code === 'FILE_TOO_LARGE'
        ? what === 'audio file'
          ? 'FILE_TOO_LARGE'
          : 'IMAGE_TOO_LARGE'
        : 'UNSUPPORTED_MEDIA',
      error.message,
      { cause: error },
    );
  }
  throw error;
}

/** Magic numbers of every audio container the catalog accepts (the first bytes only). */
function looksLikeAudioStart(head: Buffer): boolean {
  const at = (offset: number, text: string) =>
    head.subarray(offset, offset + text.length).toString('latin1') === text;
  return (
    at(0, 'RIFF') ||
    at(0, 'fLaC') ||
    at(0, 'OggS') ||
    at(4, 'ftyp') ||
    at(0, 'ID3') ||
    (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)
  );
}

/** What {@link receiveAudio} kept. */
export interface ReceivedAudio {
  readonly object: ObjectInfo;
  readonly format: AudioFormat;
  readonly mimeType: string;
  readonly durationMs: number;
  readonly bitrateKbps: number | null;
}

async function readHead(path: string, size: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Receives an audio upload: streams it to a temporary file (at most 50 MB, counted as it
 * arrives), recognises the format by its bytes among the catalog's (MP3, WAV, FLAC, OGG, M4A,
 * AAC), compares it with the declared type and size, reads the duration with `music-metadata`,
 * then streams it into object storage at `key`. On any refusal nothing is kept.
 *
 * @throws MediaProblem `FILE_TOO_LARGE`, `UNSUPPORTED_MEDIA`, `MEDIA_TYPE_MISMATCH`,
 *   `SIZE_MISMATCH` or `INVALID_INPUT`.
 */
export async function receiveAudio(
  req: Request,
  options: { objects: ObjectStore; key: string; tempDir: string },
): Promise<ReceivedAudio> {
  await mkdir(options.tempDir, { recursive: true });
  const path = join(options.tempDir, `audio-${randomUUID()}`);
  try {
    const file = await receiveOneFile({
      headers: req.headers,
      body: req,
      path,
      ...AUDIO_FORM,
      headBytes: EARLY_BYTES,
      checkHead: (head) => {
        if (!looksLikeAudioStart(head)) {
          throw new MediaProblem(
            'UNSUPPORTED_MEDIA',
            'Not a supported audio file (expected MP3, WAV, FLAC, OGG, M4A or AAC; recognised by content, not by name)',
          );
        }
      },
    });
    let head = await readHead(path, file.bytes);
    let info: AudioInfo;
    try {
      info = validateAudio(head);
    } catch (error) {
      // An MP4 whose track list sits at the end: look at the whole file (at most 50 MB).
      if (head.subarray(4, 8).toString('latin1') !== 'ftyp' || file.bytes <= head.length)
        asProblem(error, 'audio file');
      head = await readFile(path);
      try {
        info = validateAudio(head);
      } catch (again) {
        asProblem(again, 'audio file');
      }
    }
    checkDeclared(file.declaredType, info.format, AUDIO_ALIASES[info.format]);
    let durationMs: number | null = null;
    let bitrateKbps: number | null = null;
    try {
      const metadata = await parseFile(path, { duration: true, skipCovers: true });
      const seconds = metadata.format.duration;
      if (seconds !== undefined && Number.isFinite(seconds) && seconds > 0)
        durationMs = Math.round(seconds * 1000);
      if (metadata.format.bitrate !== undefined && Number.isFinite(metadata.format.bitrate))
        bitrateKbps = Math.round(metadata.format.bitrate / 1000);
    } catch (cause) {
      throw new MediaProblem(
        'UNSUPPORTED_MEDIA',
        `The ${info.format} file could not be read as audio`,
        { cause },
      );
    }
    if (durationMs === null) {
      throw new MediaProblem(
        'UNSUPPORTED_MEDIA',
        `The ${info.format} file holds no readable audio (its duration could not be read)`,
      );
    }
    const object = await options.objects.put(options.key, createReadStream(path), {
      contentType: info.mimeType,
      maxBytes: MAX_AUDIO_BYTES,
    });
    return { object, format: info.format, mimeType: info.mimeType, durationMs, bitrateKbps };
  } finally {
    await rm(path, { force: true });
  }
}

/** What {@link receiveImage} kept. */
export interface ReceivedImage {
  readonly object: ObjectInfo;
  readonly mimeType: string;
  readonly width: number;
  readonly height: number;
}

/**
 * Receives a cover (≤ 10 MB, ≤ 10,000 px a side) or an avatar (≤ 4 MB, ≤ 4,096 px a side):
 * JPEG, PNG or WebP recognised by content, dimensions read from the header, declared type and
 * size compared; then stored at `key`. On any refusal nothing is kept.
 *
 * @throws MediaProblem `IMAGE_TOO_LARGE` (bytes or pixels), `FILE_TOO_LARGE` (bytes),
 *   `UNSUPPORTED_MEDIA`, `MEDIA_TYPE_MISMATCH`, `SIZE_MISMATCH` or `INVALID_INPUT`.
 */
export async function receiveImage(
  req: Request,
  options: { objects: ObjectStore; key: string; tempDir: string; purpose: 'cover' | 'avatar' },
): Promise<ReceivedImage> {
  await mkdir(options.tempDir, { recursive: true });
  const path = join(options.tempDir, `image-${randomUUID()}`);
  const form = imageForm(options.purpose);
  const what = form.what;
  try {
    const file = await receiveOneFile({
      headers: req.headers,
      body: req,
      path,
      ...form,
    });
    const bytes = await readFile(path);
    let info: ReturnType<typeof validateImage>;
    try {
      info = validateImage(bytes, options.purpose);
    } catch (error) {
      asProblem(error, what);
    }
    if (info.width === null || info.height === null) {
      throw new MediaProblem(
        'UNSUPPORTED_MEDIA',
        `The ${info.format} header is cut short: its dimensions could not be read`,
      );
    }
    checkDeclared(file.declaredType, info.format, IMAGE_ALIASES[info.format] ?? []);
    const object = await options.objects.put(options.key, bytes, { contentType: info.mimeType });
    return { object, mimeType: info.mimeType, width: info.width, height: info.height };
  } finally {
    await rm(path, { force: true });
  }
}
