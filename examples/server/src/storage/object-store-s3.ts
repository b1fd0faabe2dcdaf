import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ServerError } from '../server-error.js';
import { type ObjectInfo, type ObjectStore, checkObjectKey } from './object-store.js';

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
}

/** Bodies up to this size are buffered and sent with a length; larger ones too (one PUT holds 5 GB). */
const MAX_SINGLE_PUT = 5 * 1024 ** 3;

const notFound = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    error.$metadata.httpStatusCode === 404);

/**
 * An {@link ObjectStore} on S3-compatible storage through `@aws-sdk/client-s3`. Objects are written
 * with one PUT (atomic on S3), with a content hash as metadata so the ETag is the same as the folder
 * store's for the same bytes.
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
  const full = (key: string) => config.prefix + checkObjectKey(key);
  const infoOf = (
    key: string,
    head: {
      ContentLength?: number | undefined;
      ContentType?: string | undefined;
      LastModified?: Date | undefined;
      Metadata?: Record<string, string> | undefined;
      ETag?: string | undefined;
    },
    size?: number,
  ): ObjectInfo => ({
    key,
    size: size ?? head.ContentLength ?? 0,
    contentType: head.ContentType ?? 'application/octet-stream',
    etag: head.Metadata?.sha256 !== undefined ? `"${head.Metadata.sha256}"` : (head.ETag ?? '""'),
    updatedAt: head.LastModified?.getTime() ?? 0,
  });
  const wrap = (action: string, key: string, error: unknown): never => {
    if (error instanceof ServerError) throw error;
    throw new ServerError('STORE_FAILURE', `Object storage could not ${action} ${key}`, {
      cause: error,
    });
  };
  return {
    kind: 's3',
    async put(key, body, options) {
      const limit = Math.min(options.maxBytes ?? MAX_SINGLE_PUT, MAX_SINGLE_PUT);
      const chunks: Buffer[] = [];
      let size = 0;
      const hash = createHash('sha256');
      const collect = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > limit) {
            done(new ServerError('UPLOAD_TOO_LARGE', `The file is larger than ${limit} bytes`));
            return;
          }
          hash.update(chunk);
          chunks.push(chunk);
          done();
        },
      });
      const source = body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
      await pipeline(source, collect);
      const sha256 = hash.digest('base64url');
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: config.bucket,
            Key: full(key),
            Body: Buffer.concat(chunks, size),
            ContentLength: size,
            ContentType: options.contentType,
            Metadata: { sha256 },
          }),
        );
      } catch (error) {
        wrap('write', key, error);
      }
      return {
        key,
        size,
        contentType: options.contentType,
        etag: `"${sha256}"`,
        updatedAt: Date.now(),
      };
    },
    async get(key, range) {
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket: config.bucket,
            Key: full(key),
            Range: range === undefined ? undefined : `bytes=${range.start}-${range.end}`,
          }),
        );
        const total =
          out.ContentRange !== undefined
            ? Number(out.ContentRange.split('/')[1])
            : out.ContentLength;
        return {
          info: infoOf(key, out, total),
          body: out.Body as Readable,
        };
      } catch (error) {
        if (notFound(error)) return null;
        return wrap('read', key, error);
      }
    },
    async head(key) {
      try {
        return infoOf(
          key,
          await client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: full(key) })),
        );
      } catch (error) {
        if (notFound(error)) return null;
        return wrap('read', key, error);
      }
    },
    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: full(key) }));
      } catch (error) {
        if (!notFound(error)) wrap('delete', key, error);
      }
    },
    async *list(prefix) {
      let token: string | undefined;
      do {
        let page: ListObjectsV2CommandOutput;
        try {
          page = await client.send(
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
          const key = item.Key.slice(config.prefix.length);
          // The listing has no content type or content hash: ask for them.
          const info = await this.head(key);
          if (info !== null) yield info;
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    },
    close() {
      client.destroy();
    },
  };
}
