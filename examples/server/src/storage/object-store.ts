import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ServerError } from '../server-error.js';

/** What the store knows of one object. */
export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly contentType: string;
  /** A strong validator of the bytes (quoted, as sent in an `ETag` header). */
  readonly etag: string;
  readonly updatedAt: number;
}

/** An inclusive byte range, as HTTP Range counts it. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Options of {@link ObjectStore.put}. */
export interface PutOptions {
  readonly contentType: string;
  /** Refuse (with `UPLOAD_TOO_LARGE`) and keep nothing when the body is longer. */
  readonly maxBytes?: number;
}

/**
 * Where rendered images, uploads and backups live: a folder under the data directory by default,
 * S3-compatible storage when configured. Writes are whole-object and atomic (a reader sees the old
 * bytes or the new, never a half), so a repeated `put` of the same key is safe.
 */
export interface ObjectStore {
  readonly kind: 'folder' | 's3';
  put(key: string, body: Uint8Array | Readable, options: PutOptions): Promise<ObjectInfo>;
  /** `null` when there is no such object. A range beyond the end is the caller's to refuse. */
  get(key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable } | null>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Removes the object; nothing happens when it is already gone. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/**
 * Checks an object key: segments of letters, digits, `.`, `_`, `-` separated by `/`, no segment
 * starting with a dot (so no `..`), at most 512 characters.
 *
 * @throws ServerError `INVALID_INPUT` naming the key.
 */
export function checkObjectKey(key: string): string {
  if (typeof key !== 'string' || key.length > 512 || !KEY.test(key)) {
    throw new ServerError(
      'INVALID_INPUT',
      `Invalid object key ${JSON.stringify(String(key).slice(0, 80))}`,
    );
  }
  return key;
}

const META_SUFFIX = '.meta.json';

type MetaFile = { contentType: string; etag: string };

/**
 * Reads an object's info: the data file's `stat`, and its `.meta.json`, kept in memory while the
 * data file is the same file (inode, size and mtime): a put writes a new file, so a read then
 * costs one stat instead of two reads. Null when there is no such object.
 */
function createMetaReader(pathOf: (key: string) => string) {
  const metas = new Map<string, { file: string; meta: MetaFile }>();
  const read = async (key: string): Promise<ObjectInfo | null> => {
    const path = pathOf(key);
    try {
      const stats = await stat(path);
      const file = `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
      let meta = metas.get(key)?.file === file ? metas.get(key)?.meta : undefined;
      if (meta === undefined) {
        const parsed = JSON.parse(await readFile(path + META_SUFFIX, 'utf8')) as MetaFile;
        meta = { contentType: parsed.contentType, etag: parsed.etag };
        metas.delete(key);
        metas.set(key, { file, meta });
        if (metas.size > 10_000) metas.delete(metas.keys().next().value as string);
      }
      const { contentType, etag } = meta;
      return { key, size: stats.size, contentType, etag, updatedAt: stats.mtimeMs };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
  return { read, forget: (key: string) => metas.delete(key) };
}

/** Counts and hashes the bytes passing through; fails past `maxBytes`. */
function byteCounter(maxBytes: number | undefined) {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (maxBytes !== undefined && size > maxBytes) {
        done(new ServerError('UPLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, size: () => size, etag: () => `"${hash.digest('base64url')}"` };
}

/** Writes `body` to `path` and its metadata beside it, each through a temporary file and a rename. */
async function writeObject(
  key: string,
  path: string,
  body: Uint8Array | Readable,
  options: PutOptions,
): Promise<ObjectInfo> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${randomUUID()}.tmp`;
  const metaTemp = `${path}${META_SUFFIX}.${randomUUID()}.tmp`;
  const counter = byteCounter(options.maxBytes);
  const source = body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
  try {
    await pipeline(source, counter.stream, createWriteStream(temp));
    const etag = counter.etag();
    // Both files are replaced by a rename, so a reader never sees half of either.
    await writeFile(metaTemp, JSON.stringify({ contentType: options.contentType, etag }));
    await rename(metaTemp, path + META_SUFFIX);
    await rename(temp, path);
    const stats = await stat(path);
    const { contentType } = options;
    return { key, size: counter.size(), contentType, etag, updatedAt: stats.mtimeMs };
  } catch (error) {
    await rm(temp, { force: true });
    await rm(metaTemp, { force: true });
    throw error;
  }
}

/** The keys of the objects under `root` that start with `prefix`, in key order. */
async function listKeys(root: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (!entry.name.endsWith(META_SUFFIX) && !entry.name.endsWith('.tmp')) {
        const key = relative(root, full).split(sep).join('/');
        if (key.startsWith(prefix)) keys.push(key);
      }
    }
  };
  await walk(root);
  return keys.sort();
}

/**
 * The zero-configuration store: objects as files under `root`, each with a `.meta.json` beside it
 * (content type, ETag). A put streams to a temporary file and renames it into place.
 *
 * @example
 * ```ts
 * const objects = createFolderObjectStore(join(dataDir, 'objects'));
 * await objects.put('faces/u1/a.png', png, { contentType: 'image/png' });
 * ```
 */
export function createFolderObjectStore(root: string): ObjectStore {
  const pathOf = (key: string) => join(root, ...checkObjectKey(key).split('/'));
  const metas = createMetaReader(pathOf);
  return {
    kind: 'folder',
    async put(key, body, options) {
      return writeObject(key, pathOf(key), body, options);
    },
    async get(key, range) {
      const info = await metas.read(key);
      if (info === null) return null;
      const body = createReadStream(
        pathOf(key),
        range === undefined ? {} : { start: range.start, end: range.end },
      );
      return { info, body };
    },
    head: metas.read,
    async delete(key) {
      const path = pathOf(key);
      metas.forget(key);
      await rm(path, { force: true });
      await rm(path + META_SUFFIX, { force: true });
    },
    async *list(prefix) {
      for (const key of await listKeys(root, prefix)) {
        const info = await metas.read(key);
        if (info !== null) yield info;
      }
    },
  };
}
