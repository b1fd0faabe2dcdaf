import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ServerError } from '../server-error.js';

/** Names Spotify gives the history files of an export. */
const HISTORY_JSON =
  /^(?:Streaming_History_Audio_[^/]*|endsong_\d+|StreamingHistory(?:_music|_podcast)?_?\d*)\.json$/i;

/** What was saved. */
export interface SavedUpload {
  readonly files: readonly string[];
  /** The zip, or the folder of JSON files, to import. */
  readonly source: string;
  readonly bytes: number;
}

/** A zip's first four bytes: a local file header, or the end record of an empty archive. */
const ZIP_STARTS = [0x04034b50, 0x06054b50];

async function firstBytes(path: string, n: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buffer, 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The input of {@link saveUpload}. */
interface UploadInput {
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable;
  readonly dir: string;
  readonly limitBytes: number;
}

const tooLarge = (limitBytes: number) =>
  new ServerError(
    'UPLOAD_TOO_LARGE',
    `The upload is larger than the limit of ${Math.round(limitBytes / 1024 ** 2)} MiB`,
  );

/** Why a file of this name is refused (none, or not an export file), or null when it is fine. */
function refusedName(name: string): ServerError | null {
  if (name === '') return new ServerError('INVALID_INPUT', 'Choose a file to upload');
  if (/\.zip$/i.test(name) || HISTORY_JSON.test(name)) return null;
  return new ServerError(
    'UNSUPPORTED_FILE',
    `${name} is not a Spotify data export: upload my_spotify_data.zip or the history JSON files (Streaming_History_Audio_*.json, endsong_*.json or StreamingHistory*.json)`,
  );
}

/** Writes every file part of the form to `dir`: the paths written and the bytes received. */
async function receiveFiles(input: UploadInput): Promise<{ saved: string[]; bytes: number }> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: input.headers,
      limits: { fileSize: input.limitBytes, files: 50, fields: 10, fieldSize: 1024 },
    });
  } catch (cause) {
    throw new ServerError(
      'INVALID_INPUT',
      'The upload must be a multipart/form-data form with a file field',
      { cause },
    );
  }
  const saved: string[] = [];
  const writes: Promise<void>[] = [];
  let bytes = 0;
  let failure: ServerError | null = null;
  parser.on('file', (_field, stream, info) => {
    const name = (info.filename ?? '').split(/[\\/]/).pop() ?? '';
    failure ??= refusedName(name);
    if (failure !== null) {
      stream.resume();
      return;
    }
    const path = join(input.dir, name);
    saved.push(path);
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    stream.on('limit', () => {
      failure ??= tooLarge(input.limitBytes);
    });
    writes.push(pipeline(stream, createWriteStream(path)));
  });
  parser.on('filesLimit', () => {
    failure ??= new ServerError('INVALID_INPUT', 'Too many files in one upload (at most 50)');
  });
  await pipeline(input.body, parser);
  await Promise.all(writes);
  if (failure === null && bytes > input.limitBytes) failure = tooLarge(input.limitBytes);
  if (failure !== null) throw failure;
  return { saved, bytes };
}

/** Checks that each saved file's first bytes match its name: a zip header, or JSON. */
async function checkContents(saved: readonly string[]): Promise<void> {
  for (const path of saved) {
    const head = await firstBytes(path, 64);
    const zip = /\.zip$/i.test(path);
    const ok = zip
      ? head.length >= 4 && ZIP_STARTS.includes(head.readUInt32LE(0))
      : /^[\s\uFEFF]*[[{]/.test(head.toString('utf8'));
    if (!ok) {
      throw new ServerError(
        'UNSUPPORTED_FILE',
        `${path.split(/[\\/]/).pop()} is not a ${zip ? 'zip archive' : 'JSON file'} (its contents do not match its name)`,
      );
    }
  }
}

/**
 * Streams a multipart upload to `dir` with busboy, never holding a file in memory: one
 * `my_spotify_data.zip`, or one or more history JSON files. Checks names and contents (a zip must
 * start with a zip header, a JSON file with `[` or `{`) and the size limit (per upload); on any
 * error the folder is removed and a `ServerError` says what was wrong.
 */
export async function saveUpload(input: UploadInput): Promise<SavedUpload> {
  await mkdir(input.dir, { recursive: true });
  try {
    const { saved, bytes } = await receiveFiles(input);
    if (saved.length === 0) throw new ServerError('INVALID_INPUT', 'Choose a file to upload');
    const zips = saved.filter((p) => /\.zip$/i.test(p));
    if (zips.length > 0 && saved.length > 1) {
      throw new ServerError(
        'INVALID_INPUT',
        'Upload either one my_spotify_data.zip or JSON files, not both',
      );
    }
    await checkContents(saved);
    return {
      files: saved.map((p) => p.split(/[\\/]/).pop() ?? p),
      source: zips[0] ?? input.dir,
      bytes,
    };
  } catch (error) {
    await rm(input.dir, { recursive: true, force: true });
    if (error instanceof ServerError) throw error;
    throw new ServerError(
      'INVALID_INPUT',
      `The upload could not be read: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** The folder an upload was saved in, from its `source` (the zip in it, or the folder itself). */
export function uploadFolder(source: string): string {
  return /\.(?:zip|json)$/i.test(source) ? dirname(source) : source;
}

/**
 * Removes an upload's folder (nothing happens when it is already gone). Used once its import is
 * over for good: done, or failed (a failed import is not resumed; an interrupted one is, and keeps
 * its upload).
 */
export async function removeUpload(source: string): Promise<void> {
  await rm(uploadFolder(source), { recursive: true, force: true });
}
