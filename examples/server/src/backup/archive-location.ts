import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ObjectStoreConfig } from '../config.js';
import { checkObjectKey } from '../storage/object-store.js';
import { openObjectStore } from '../storage/open-object-store.js';
import { BackupError } from './backup-error.js';

/** Where an archive goes or comes from: a file, or a key in the configured S3 storage. */
export type ArchiveLocation =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 's3'; readonly key: string };

/** S3 multipart parts (the minimum is 5 MiB except for the last). */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Parses `--out`/`--in`: `s3://<key>` (a key in the S3 storage of `S3_*`) or a file path.
 *
 * @throws BackupError `INVALID_LOCATION`.
 */
export function parseLocation(value: string, baseDir: string): ArchiveLocation {
  if (value.startsWith('s3://')) {
    const key = value.slice('s3://'.length);
    try {
      return { kind: 's3', key: checkObjectKey(key) };
    } catch (cause) {
      throw new BackupError('INVALID_LOCATION', `Invalid S3 key "${key}"`, { cause });
    }
  }
  if (value === '') throw new BackupError('INVALID_LOCATION', 'The archive path is empty');
  return { kind: 'file', path: resolve(baseDir, value) };
}

function s3Config(objects: ObjectStoreConfig): Extract<ObjectStoreConfig, { kind: 's3' }> {
  if (objects.kind !== 's3') {
    throw new BackupError(
      'INVALID_LOCATION',
      's3:// needs S3-compatible storage: set S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY',
    );
  }
  return objects;
}

/** A sink for an archive and the promise that it is stored (complete, atomically) once ended. */
export interface ArchiveSink {
  readonly stream: Writable;
  /** Resolves when the archive is stored; rejects (and keeps nothing) otherwise. */
  finish(): Promise<void>;
  /** Drops what was written (after a failure). */
  abort(): Promise<void>;
}

/**
 * Opens a sink: a file written under a temporary name and renamed at the end, or an S3
 * multipart upload (streamed in 8 MiB parts, completed at the end, aborted on failure).
 */
export async function openSink(
  location: ArchiveLocation,
  objects: ObjectStoreConfig,
): Promise<ArchiveSink> {
  if (location.kind === 'file') {
    await mkdir(dirname(location.path), { recursive: true });
    const temporary = `${location.path}.partial`;
    const stream = createWriteStream(temporary, { mode: 0o600 });
    return {
      stream,
      finish: () => rename(temporary, location.path),
      abort: () => rm(temporary, { force: true }),
    };
  }
  const config = s3Config(objects);
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
  });
  const Key = config.prefix + location.key;
  const created = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: config.bucket,
      Key,
      ContentType: 'application/octet-stream',
    }),
  );
  const UploadId = created.UploadId ?? '';
  const parts: { ETag: string; PartNumber: number }[] = [];
  let pending: Buffer[] = [];
  let size = 0;
  const upload = async (body: Buffer) => {
    const PartNumber = parts.length + 1;
    const answer = await client.send(
      new UploadPartCommand({ Bucket: config.bucket, Key, UploadId, PartNumber, Body: body }),
    );
    parts.push({ ETag: answer.ETag ?? '', PartNumber });
  };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      pending.push(chunk);
      size += chunk.length;
      if (size < PART_BYTES) return callback();
      const body = Buffer.concat(pending);
      pending = [];
      size = 0;
      upload(body).then(() => callback(), callback);
    },
    final(callback) {
      const body = Buffer.concat(pending);
      pending = [];
      size = 0;
      if (body.length === 0 && parts.length > 0) return callback();
      upload(body).then(() => callback(), callback);
    },
  });
  return {
    stream,
    async finish() {
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: config.bucket,
          Key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      client.destroy();
    },
    async abort() {
      await client
        .send(new AbortMultipartUploadCommand({ Bucket: config.bucket, Key, UploadId }))
        .catch(() => undefined);
      client.destroy();
    },
  };
}

/** Opens the archive for reading, once per call (a restore reads it twice). */
export function sourceOf(
  location: ArchiveLocation,
  objects: ObjectStoreConfig,
): () => Promise<NodeJS.ReadableStream> {
  if (location.kind === 'file') {
    return async () => {
      const stream = createReadStream(location.path);
      await new Promise<void>((ok, fail) => {
        stream.once('open', () => ok());
        stream.once('error', (cause) =>
          fail(
            new BackupError('INVALID_LOCATION', `Cannot read the archive ${location.path}`, {
              cause,
            }),
          ),
        );
      });
      return stream;
    };
  }
  const store = openObjectStore(s3Config(objects));
  return async () => {
    const object = await store.get(location.key);
    if (object === null) {
      throw new BackupError('INVALID_LOCATION', `No archive at s3://${location.key}`);
    }
    return object.body;
  };
}
