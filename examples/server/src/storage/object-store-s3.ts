import { type Hash, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ServerError } from '../server-error.js';
import {
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  checkObjectKey,
} from './object-store.js';

/** Where S3-compatible storage is and how to sign in to it (the `S3_*` variables). */
export interface S3StoreConfig {
  readonly bucket: string;
  readonly region: string;
  /** For S3-compatible services (MinIO, R2, s3rver); `undefined` means AWS. */
  readonly endpoint: string | undefined;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Bucket in the path instead of the host name, as most S3-compatible services need. */
  readonly forcePathStyle: boolean;
  /** Keys are written under this prefix (e.g. `spoti/`). */
  readonly prefix: string;
  /**
   * Bytes per part of a multipart upload (default 8 MiB, at least S3's 5 MiB). A body up to this
   * size is sent with one PUT; a longer one streams in parts, two in flight at a time, so a put
   * holds about three parts in memory whatever the object's size.
   */
  readonly partSize?: number;
}

/** The largest object a put accepts (S3's limit for copying an object in one request). */
const MAX_OBJECT = 5 * 1024 ** 3;
const MIN_PART = 5 * 1024 ** 2;
const DEFAULT_PART = 8 * 1024 ** 2;
/** Parts uploaded at once. */
const PARTS_IN_FLIGHT = 2;

/** What the store's operations share: the client, the configuration, the key mapping. */
interface S3Context {
  readonly client: S3Client;
  readonly config: S3StoreConfig;
  readonly partSize: number;
  full(key: string): string;
}

/** The fields of a HEAD or GET answer that make an {@link ObjectInfo}. */
interface S3Head {
  ContentLength?: number | undefined;
  ContentType?: string | undefined;
  LastModified?: Date | undefined;
  Metadata?: Record<string, string> | undefined;
  ETag?: string | undefined;
}

const notFound = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    error.$metadata.httpStatusCode === 404);

function infoOf(key: string, head: S3Head, size?: number): ObjectInfo {
  return {
    key,
    size: size ?? head.ContentLength ?? 0,
    contentType: head.ContentType ?? 'application/octet-stream',
    etag: head.Metadata?.sha256 !== undefined ? `"${head.Metadata.sha256}"` : (head.ETag ?? '""'),
    updatedAt: head.LastModified?.getTime() ?? 0,
  };
}

function wrap(action: string, key: string, error: unknown): never {
  if (error instanceof ServerError) throw error;
  throw new ServerError('STORE_FAILURE', `Object storage could not ${action} ${key}`, {
    cause: error,
  });
}

/** Bytes seen so far and their running SHA-256. */
interface Tally {
  size: number;
  readonly hash: Hash;
}

/** Passes the body through, counting and hashing it, and fails once it is longer than `limit`. */
async function* measured(body: Uint8Array | Readable, limit: number, tally: Tally) {
  const source: Iterable<Uint8Array> | AsyncIterable<Uint8Array> =
    body instanceof Uint8Array ? [body] : body;
  for await (const chunk of source) {
    tally.size += chunk.length;
    if (tally.size > limit) {
      throw new ServerError('UPLOAD_TOO_LARGE', `The file is larger than ${limit} bytes`);
    }
    tally.hash.update(chunk);
    yield chunk;
  }
}

/** Reads chunks until more than `bytes` were read or the body ended. */
async function readFirst(body: AsyncIterator<Uint8Array>, bytes: number) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= bytes) {
    const next = await body.next();
    if (next.done === true) return { chunks, ended: true };
    chunks.push(next.value);
    size += next.value.length;
  }
  return { chunks, ended: false };
}

async function* concat(first: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>) {
  yield* first;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}

/** Aborts a failed multipart upload so its parts are not kept (best effort: the error stands). */
async function abandon(s3: S3Context, key: string, uploadId: string | undefined): Promise<void> {
  if (uploadId === undefined) return;
  const abort = new AbortMultipartUploadCommand({
    Bucket: s3.config.bucket,
    Key: s3.full(key),
    UploadId: uploadId,
  });
  await s3.client.send(abort).catch(() => undefined);
}

/**
 * A long body: a multipart upload of the stream (the object appears whole when it completes),
 * then the content hash is set as metadata by copying the object onto itself.
 */
async function putInParts(
  s3: S3Context,
  key: string,
  body: Readable,
  contentType: string,
  tally: Tally,
): Promise<void> {
  const { client, config } = s3;
  const upload = new Upload({
    client,
    params: { Bucket: config.bucket, Key: s3.full(key), Body: body, ContentType: contentType },
    partSize: s3.partSize,
    queueSize: PARTS_IN_FLIGHT,
    // Aborted below instead, so the error that stopped the upload is the one thrown.
    leavePartsOnError: true,
  });
  try {
    await upload.done();
  } catch (error) {
    await abandon(s3, key, upload.uploadId);
    throw error;
  }
  const path = s3.full(key).split('/').map(encodeURIComponent).join('/');
  await client.send(
    new CopyObjectCommand({
      Bucket: config.bucket,
      Key: s3.full(key),
      CopySource: `${config.bucket}/${path}`,
      MetadataDirective: 'REPLACE',
      ContentType: contentType,
      Metadata: { sha256: tally.hash.copy().digest('base64url') },
    }),
  );
}

async function putObject(
  s3: S3Context,
  key: string,
  body: Uint8Array | Readable,
  options: PutOptions,
): Promise<ObjectInfo> {
  const limit = Math.min(options.maxBytes ?? MAX_OBJECT, MAX_OBJECT);
  const tally: Tally = { size: 0, hash: createHash('sha256') };
  const chunks = measured(body, limit, tally);
  const first = await readFirst(chunks, s3.partSize);
  try {
    if (first.ended) {
      await s3.client.send(
        new PutObjectCommand({
          Bucket: s3.config.bucket,
          Key: s3.full(key),
          Body: Buffer.concat(first.chunks, tally.size),
          ContentLength: tally.size,
          ContentType: options.contentType,
          Metadata: { sha256: tally.hash.copy().digest('base64url') },
        }),
      );
    } else {
      const rest = Readable.from(concat(first.chunks, chunks), { objectMode: false });
      await putInParts(s3, key, rest, options.contentType, tally);
    }
  } catch (error) {
    // The rest of a body that was not sent is not read.
    if (body instanceof Readable) body.destroy();
    wrap('write', key, error);
  }
  return {
    key,
    size: tally.size,
    contentType: options.contentType,
    etag: `"${tally.hash.digest('base64url')}"`,
    updatedAt: Date.now(),
  };
}

async function getObject(s3: S3Context, key: string, range?: { start: number; end: number }) {
  try {
    const out = await s3.client.send(
      new GetObjectCommand({
        Bucket: s3.config.bucket,
        Key: s3.full(key),
        Range: range === undefined ? undefined : `bytes=${range.start}-${range.end}`,
      }),
    );
    const total =
      out.ContentRange !== undefined ? Number(out.ContentRange.split('/')[1]) : out.ContentLength;
    return { info: infoOf(key, out, total), body: out.Body as Readable };
  } catch (error) {
    if (notFound(error)) return null;
    return wrap('read', key, error);
  }
}

async function headObject(s3: S3Context, key: string): Promise<ObjectInfo | null> {
  try {
    const command = new HeadObjectCommand({ Bucket: s3.config.bucket, Key: s3.full(key) });
    return infoOf(key, await s3.client.send(command));
  } catch (error) {
    if (notFound(error)) return null;
    return wrap('read', key, error);
  }
}

async function deleteObject(s3: S3Context, key: string): Promise<void> {
  try {
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.config.bucket, Key: s3.full(key) }));
  } catch (error) {
    if (!notFound(error)) wrap('delete', key, error);
  }
}

async function* listObjects(s3: S3Context, prefix: string): AsyncGenerator<ObjectInfo> {
  const { config } = s3;
  let token: string | undefined;
  do {
    let page: ListObjectsV2CommandOutput;
    try {
      page = await s3.client.send(
        new ListObjectsV2Command({
          Bucket: config.bucket,
          Prefix: config.prefix + prefix,
          ContinuationToken: token,
        }),
      );
    } catch (error) {
      return wrap('list', prefix, error);
    }
    for (const item of page.Contents ?? []) {
      if (item.Key === undefined) continue;
      // The listing has no content type or content hash: ask for them.
      const info = await headObject(s3, item.Key.slice(config.prefix.length));
      if (info !== null) yield info;
    }
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/**
 * An {@link ObjectStore} on S3-compatible storage through `@aws-sdk/client-s3`. A body up to one
 * part is written with one PUT; a longer one streams as a multipart upload (`@aws-sdk/lib-storage`),
 * so memory stays near a few parts whatever the object's size. Either way the object appears whole
 * or not at all, with a content hash as metadata so the ETag is the same as the folder store's for
 * the same bytes (set on a long object by copying it onto itself once it is complete).
 *
 * @example
 * ```ts
 * const objects = createS3ObjectStore({ bucket: 'spoti', region: 'us-east-1', endpoint: undefined,
 *   accessKeyId, secretAccessKey, forcePathStyle: false, prefix: '' });
 * ```
 */
export function createS3ObjectStore(config: S3StoreConfig): ObjectStore & { close(): void } {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // Retries of the SDK cover idempotent S3 calls (every call here is one).
    maxAttempts: 3,
  });
  const s3: S3Context = {
    client,
    config,
    partSize: Math.max(config.partSize ?? DEFAULT_PART, MIN_PART),
    full: (key) => config.prefix + checkObjectKey(key),
  };
  return {
    kind: 's3',
    put: (key, body, options) => putObject(s3, key, body, options),
    get: (key, range) => getObject(s3, key, range),
    head: (key) => headObject(s3, key),
    delete: (key) => deleteObject(s3, key),
    list: (prefix) => listObjects(s3, prefix),
    close: () => client.destroy(),
  };
}
