import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServerError } from '../src/server-error.js';
import { type ObjectStore, createFolderObjectStore } from '../src/storage/object-store.js';
import { createS3ObjectStore } from '../src/storage/object-store-s3.js';
import { generatedBody } from './fixtures/generated-body.js';

const run = promisify(execFile);

/** Fake credentials: s3rver accepts these fixed test values only. */
const S3RVER_KEY = 'S3RVER';

let s3rver: S3rver;
let s3Dir: string;
let folderDir: string;
let s3Endpoint: string;
const stores: Record<string, ObjectStore & { close?(): void }> = {};

beforeAll(async () => {
  s3Dir = await mkdtemp(join(tmpdir(), 'spoti-s3rver-'));
  folderDir = await mkdtemp(join(tmpdir(), 'spoti-objects-'));
  s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: 'spoti-test', configs: [] }],
  });
  const { port } = await s3rver.run();
  s3Endpoint = `http://127.0.0.1:${port}`;
  stores.folder = createFolderObjectStore(folderDir);
  stores.s3 = createS3ObjectStore({
    bucket: 'spoti-test',
    region: 'us-east-1',
    endpoint: s3Endpoint,
    accessKeyId: S3RVER_KEY,
    secretAccessKey: S3RVER_KEY,
    forcePathStyle: true,
    prefix: 'spoti/',
  });
});

afterAll(async () => {
  stores.s3?.close?.();
  await s3rver?.close();
  await rm(s3Dir, { recursive: true, force: true });
  await rm(folderDir, { recursive: true, force: true });
});

describe.each(['folder', 's3'])('object store: %s', (kind) => {
  const store = () => stores[kind] as ObjectStore;

  it('puts, reads back, ranges, lists and deletes', async () => {
    const info = await store().put('faces/u1/a.txt', Buffer.from('hello world'), {
      contentType: 'text/plain',
    });
    expect(info).toMatchObject({ key: 'faces/u1/a.txt', size: 11, contentType: 'text/plain' });
    await store().put('faces/u1/b.txt', Readable.from([Buffer.from('bee')]), {
      contentType: 'text/plain',
    });
    await store().put('faces/u2/c.txt', Buffer.from('sea'), { contentType: 'text/plain' });

    const whole = await store().get('faces/u1/a.txt');
    expect(whole?.info.etag).toBe(info.etag);
    expect(whole?.info.size).toBe(11);
    expect(await text(whole!.body)).toBe('hello world');
    const part = await store().get('faces/u1/a.txt', { start: 6, end: 10 });
    expect(await text(part!.body)).toBe('world');

    const listed: string[] = [];
    for await (const item of store().list('faces/u1/')) listed.push(item.key);
    expect(listed).toEqual(['faces/u1/a.txt', 'faces/u1/b.txt']);

    await store().delete('faces/u1/a.txt');
    await store().delete('faces/u1/a.txt'); // already gone: no error
    expect(await store().get('faces/u1/a.txt')).toBeNull();
    expect(await store().head('faces/u1/a.txt')).toBeNull();
  });

  it('gives the same ETag to the same bytes and a new one to new bytes', async () => {
    const a = await store().put('same/x.bin', Buffer.from([1, 2, 3]), {
      contentType: 'application/octet-stream',
    });
    const b = await store().put('same/x.bin', Buffer.from([1, 2, 3]), {
      contentType: 'application/octet-stream',
    });
    const c = await store().put('same/x.bin', Buffer.from([1, 2, 4]), {
      contentType: 'application/octet-stream',
    });
    expect(a.etag).toBe(b.etag);
    expect(c.etag).not.toBe(a.etag);
    expect((await store().head('same/x.bin'))?.etag).toBe(c.etag);
  });

  it('refuses a body over maxBytes and keeps the previous object', async () => {
    await store().put('big/y.bin', Buffer.from('old'), { contentType: 'text/plain' });
    const error = await store()
      .put('big/y.bin', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), {
        contentType: 'text/plain',
        maxBytes: 1000,
      })
      .catch((e: unknown) => e);
    expect(isServerError(error) && error.code).toBe('UPLOAD_TOO_LARGE');
    expect(await text((await store().get('big/y.bin'))!.body)).toBe('old');
  });

  it('refuses keys that could escape or confuse the store', async () => {
    for (const key of [
      '../etc/passwd',
      'a/../b',
      '/abs',
      'a//b',
      '.hidden',
      'a/.x',
      '',
      'x'.repeat(513),
      'a b',
    ]) {
      const error = await store()
        .put(key, Buffer.from('x'), { contentType: 'text/plain' })
        .catch((e: unknown) => e);
      expect(isServerError(error) && error.code, key).toBe('INVALID_INPUT');
    }
  });
});

describe('object store: s3, bodies longer than one part', () => {
  const MiB = 1024 ** 2;
  const PART = 5 * MiB;
  let store: ObjectStore & { close(): void };

  beforeAll(() => {
    store = createS3ObjectStore({
      bucket: 'spoti-test',
      region: 'us-east-1',
      endpoint: s3Endpoint,
      accessKeyId: S3RVER_KEY,
      secretAccessKey: S3RVER_KEY,
      forcePathStyle: true,
      prefix: 'parts/',
      partSize: PART,
    });
  });
  afterAll(() => store.close());

  const body = generatedBody;

  async function sha256Of(stream: Readable): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of stream) hash.update(chunk as Buffer);
    return hash.digest('base64url');
  }

  it('streams a body of several parts and reads it back whole', async () => {
    const size = 3 * PART + 12_345;
    const info = await store.put('media/long.bin', body(size), { contentType: 'audio/flac' });
    const expected = await sha256Of(body(size));
    expect(info).toMatchObject({ size, contentType: 'audio/flac', etag: `"${expected}"` });
    const head = await store.head('media/long.bin');
    expect(head).toMatchObject({ size, contentType: 'audio/flac', etag: `"${expected}"` });
    const read = await store.get('media/long.bin');
    expect(await sha256Of(read!.body)).toBe(expected);
    const again = await store.put('media/long.bin', body(size), { contentType: 'audio/flac' });
    expect(again.etag).toBe(info.etag);
  }, 300_000);

  it('holds a few parts in memory, not the object (a put in a process of its own)', async () => {
    const size = 128 * MiB;
    const child = fileURLToPath(new URL('./fixtures/s3-put-memory.ts', import.meta.url));
    const { stdout } = await run(
      process.execPath,
      [
        '--expose-gc',
        '--conditions=@spoti/source',
        '--import',
        'tsx',
        child,
        s3Endpoint,
        String(size),
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)) },
    );
    const result = JSON.parse(stdout) as { size: number; etag: string; peakBytes: number };
    expect(result.size).toBe(size);
    expect(result.etag).toBe(`"${await sha256Of(body(size))}"`);
    // Live Buffers: parts in flight and the one being filled (30 to 40 MiB measured), not 128.
    expect(result.peakBytes).toBeLessThan(size / 2);
  }, 300_000);

  it('refuses a long body over maxBytes midway and keeps the previous object', async () => {
    await store.put('media/kept.bin', Buffer.from('old'), { contentType: 'text/plain' });
    const error = await store
      .put('media/kept.bin', body(3 * PART), { contentType: 'text/plain', maxBytes: 2 * PART })
      .catch((e: unknown) => e);
    expect(isServerError(error) && error.code).toBe('UPLOAD_TOO_LARGE');
    expect(await text((await store.get('media/kept.bin'))!.body)).toBe('old');
  }, 300_000);
});
