import { createReadStream } from 'node:fs';
import { open as openFile, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { createInflateRaw, inflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { ExportImportError } from '../errors/export-import-error.js';

/** One listening-history file of an export. */
export interface ExportFile {
  /** Path inside the zip or folder, `/`-separated; the base name for a single file. */
  readonly path: string;
  /** Uncompressed size in bytes. */
  readonly size: number;
  /** Last modification time (Unix ms) from the zip entry or the file system; null when unknown. */
  readonly modifiedAt: number | null;
}

/** The history files of an export and a way to read each, one at a time. */
export interface ExportListing {
  readonly files: readonly ExportFile[];
  read(file: ExportFile): Promise<Buffer>;
  /**
   * A file's bytes in chunks of at most {@link CHUNK_BYTES}: no buffer the size of the file, whose
   * allocation and release would leave the process's memory allocator holding more.
   */
  readChunks(file: ExportFile): Promise<Buffer[]>;
  close(): void;
}

/** Largest chunk {@link ExportListing.readChunks} gives. */
export const CHUNK_BYTES = 64 * 1024;

/** The chunks of a stream, failing with its error. */
function chunksOf(stream: Readable): Promise<Buffer[]> {
  return new Promise<Buffer[]>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () => resolve(chunks));
  });
}

/** A file on disk in chunks. */
const fileChunks = (path: string) =>
  chunksOf(createReadStream(path, { highWaterMark: CHUNK_BYTES }));

/** Listening-history files by name; everything else in an export is ignored. */
const HISTORY_FILE =
  /(?:^|\/)(?:Streaming_History_Audio_[^/]*|endsong_\d+|StreamingHistory(?:_music|_podcast)?_?\d*)\.json$/i;

/** True when the path names a listening-history file of a Spotify export. */
export function isHistoryFile(path: string): boolean {
  return HISTORY_FILE.test(path) && !/(?:^|\/)(?:__MACOSX|\._)/.test(path);
}

/** True for an Account-data history file (`StreamingHistory*.json`). */
export function isAccountDataFile(path: string): boolean {
  return /(?:^|\/)StreamingHistory[^/]*\.json$/i.test(path);
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
/** The stable order files are processed in: natural sort of the path (`_2` before `_10`). */
export const compareExportPaths = (a: string, b: string): number =>
  collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

const timeOf = (ms: number): number | null => (Number.isFinite(ms) ? ms : null);

async function isZip(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/** Lists the history files of a zip, a folder or a single JSON file. */
export async function listExportSource(source: string): Promise<ExportListing> {
  const info = await stat(source);
  if (info.isDirectory()) return listFolder(source);
  if (source.toLowerCase().endsWith('.zip') || (await isZip(source))) return listZip(source);
  const file: ExportFile = {
    path: basename(source),
    size: info.size,
    modifiedAt: timeOf(info.mtimeMs),
  };
  return {
    files: [file],
    read: () => readFile(source),
    readChunks: () => fileChunks(source),
    close: () => undefined,
  };
}

async function listFolder(root: string): Promise<ExportListing> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: (ExportFile & { full: string })[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? entry.path;
    const full = join(parent, entry.name);
    const path = relative(root, full).split(sep).join('/');
    if (!isHistoryFile(path)) continue;
    const fileInfo = await stat(full);
    files.push({ path, size: fileInfo.size, modifiedAt: timeOf(fileInfo.mtimeMs), full });
  }
  files.sort((a, b) => compareExportPaths(a.path, b.path));
  const byPath = new Map(files.map((f) => [f.path, f.full]));
  return {
    files: files.map(({ path, size, modifiedAt }) => ({ path, size, modifiedAt })),
    read: (file) => readFile(byPath.get(file.path) as string),
    readChunks: (file) => fileChunks(byPath.get(file.path) as string),
    close: () => undefined,
  };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error !== null || zip === undefined) reject(error ?? new Error('cannot open zip'));
      else resolve(zip);
    });
  });
}

async function listZip(source: string): Promise<ExportListing> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(source);
  } catch (cause) {
    throw new ExportImportError({
      code: 'EXPORT_BAD_ARCHIVE',
      message: `${source} is not a readable ZIP archive: ${cause instanceof Error ? cause.message : String(cause)}`,
      file: null,
      row: null,
      cause,
    });
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/') && isHistoryFile(entry.fileName)) {
          entries.set(entry.fileName, entry);
        }
        zip.readEntry();
      });
      zip.once('end', () => resolve());
      zip.once('error', reject);
      zip.readEntry();
    });
  } catch (cause) {
    zip.close();
    throw new ExportImportError({
      code: 'EXPORT_BAD_ARCHIVE',
      message: `Cannot list the entries of ${source}: ${cause instanceof Error ? cause.message : String(cause)}`,
      file: null,
      row: null,
      cause,
    });
  }
  const files = [...entries.values()]
    .map((e) => ({
      path: e.fileName,
      size: e.uncompressedSize,
      modifiedAt: timeOf(e.getLastModDate().getTime()),
    }))
    .sort((a, b) => compareExportPaths(a.path, b.path));
  return {
    files,
    read: (file) => readEntry(zip, entries.get(file.path) as yauzl.Entry),
    readChunks: (file) => readEntryChunks(zip, entries.get(file.path) as yauzl.Entry),
    close: () => zip.close(),
  };
}

/** The stream of an entry's bytes as stored (compressed or not). */
function rawStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    zip.openReadStream(entry, { decompress: false }, (error, stream) => {
      if (error !== null) reject(error);
      else resolve(stream);
    });
  });
}

/**
 * An entry's bytes in chunks of at most {@link CHUNK_BYTES}, inflated on libuv's thread pool as
 * they are read, and stopped as soon as the entry inflates to more than the size it declares (an
 * entry that inflates to less is refused too).
 */
async function readEntryChunks(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer[]> {
  const raw = await rawStream(zip, entry);
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    raw.destroy();
    throw new Error(`unsupported compression method ${entry.compressionMethod}`);
  }
  const size = entry.uncompressedSize;
  const stream =
    entry.compressionMethod === 0 ? raw : raw.pipe(createInflateRaw({ chunkSize: CHUNK_BYTES }));
  let length = 0;
  const over = () => new Error(`the entry inflates to more than the ${size} bytes it declares`);
  stream.on('data', (chunk: Buffer) => {
    length += chunk.length;
    if (length > size) stream.destroy(over());
  });
  raw.once('error', (error) => stream.destroy(error));
  let chunks: Buffer[];
  try {
    chunks = await chunksOf(stream);
  } finally {
    raw.destroy();
  }
  if (length !== size)
    throw new Error(`the entry inflates to ${length} bytes, not the ${size} it declares`);
  return chunks;
}

/** The compressed bytes of an entry, as stored. */
function readRaw(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    zip.openReadStream(entry, { decompress: false }, (error, stream) => {
      if (error !== null) {
        reject(error);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('error', reject);
      stream.once('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/**
 * An entry's bytes. Deflated entries are inflated in one call on libuv's thread pool (not chunk
 * by chunk on the main thread), capped at the size the archive declares: an entry that inflates
 * to more, or to less, is refused.
 */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const raw = await readRaw(zip, entry);
  if (entry.compressionMethod === 0) return raw;
  if (entry.compressionMethod !== 8)
    throw new Error(`unsupported compression method ${entry.compressionMethod}`);
  const size = entry.uncompressedSize;
  const bytes = await new Promise<Buffer>((resolve, reject) =>
    // One output chunk for the whole entry: with zlib's default 16 KB chunks every chunk waits for
    // a callback on the main thread, which is busy parsing the previous file.
    inflateRaw(
      raw,
      { maxOutputLength: Math.max(1, size), chunkSize: Math.max(64, size) },
      (error, result) => (error === null ? resolve(result) : reject(error)),
    ),
  );
  if (bytes.length !== size)
    throw new Error(`the entry inflates to ${bytes.length} bytes, not the ${size} it declares`);
  return bytes;
}
