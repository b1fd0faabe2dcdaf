import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFaceError, mapFace } from '../src/index.js';
import { createRemoteFaceFetcher, type RemoteFaceOptions } from '../src/render/index.js';
import { makeProfile, PERSONAS } from './fixtures/profiles.js';

const face = mapFace(makeProfile(PERSONAS['pop-fan']!));
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const CHUNK = Buffer.alloc(64 * 1024, 0x41);
let server: Server;
let port: number;
/** Bytes the endless route wrote before the client went away. */
let endlessWritten = 0;
let endlessClosed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path === '/endless') {
      // A chunked reply (no content-length) that would go on for 400 MB.
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG);
      endlessWritten = PNG.length;
      endlessClosed = new Promise((resolve) => res.on('close', () => resolve()));
      const pump = (): void => {
        while (!res.destroyed && endlessWritten < 400 * 1024 * 1024) {
          endlessWritten += CHUNK.length;
          if (!res.write(CHUNK)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
    } else if (path === '/html-as-png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end('<!doctype html><html><body>not an image</body></html>');
    } else if (path === '/svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      res.end(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><image href="http://169.254.169.254/x"/></svg>',
      );
    } else if (path === '/hang') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG);
    } else if (path === '/ok') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const fallback = { size: 64, frame: 'none' as const };
const local = (path: string, extra: RemoteFaceOptions = {}) =>
  createRemoteFaceFetcher({
    urlTemplate: `http://127.0.0.1:${port}${path}?face={face}`,
    allowedHosts: ['127.0.0.1'],
    allowedAddresses: ['127.0.0.1'],
    minTimeMs: 0,
    fallback,
    ...extra,
  });

describe('remote fetcher against hostile servers', () => {
  it('stops reading a chunked reply as soon as it passes maxBytes', async () => {
    const result = await local('/endless', { maxBytes: 100_000 }).fetch(face);
    expect(result.source).toBe('offline');
    expect(result.fallbackReason).toBe('The image is too large (over 100000 bytes)');
    await endlessClosed;
    // The server is cut off after little more than the cap plus socket buffers.
    expect(endlessWritten).toBeLessThan(16 * 1024 * 1024);
  });

  it('checks the first bytes against the claimed type: HTML labelled image/png is refused', async () => {
    const result = await local('/html-as-png').fetch(face);
    expect(result.fallbackReason).toBe(
      'The body is not image/png (its first bytes are not an image)',
    );
  });

  it('refuses SVG, which can carry scripts and external references', async () => {
    const result = await local('/svg').fetch(face);
    expect(result.source).toBe('offline');
    expect(result.fallbackReason).toBe(
      'The server sent an SVG image; SVG is refused (it can carry scripts and links)',
    );
  });

  it('refuses private, loopback and mapped addresses unless explicitly allowed', async () => {
    const literal = await local('/ok', { allowedAddresses: [] }).fetch(face);
    expect(literal.fallbackReason).toBe(
      'Host "127.0.0.1" resolves to 127.0.0.1, a private, loopback or reserved address',
    );
    const mapped = await createRemoteFaceFetcher({
      urlTemplate: `https://[::ffff:127.0.0.1]:${port}/ok?face={face}`,
      allowedHosts: ['[::ffff:7f00:1]'],
      minTimeMs: 0,
      fallback,
    }).fetch(face);
    expect(mapped.fallbackReason).toMatch(
      /^Host "::ffff:7f00:1" resolves to ::ffff:7f00:1, a private, loopback or reserved address \(inside the IPv6 address\)$/,
    );
    // A name is checked after the DNS lookup, on the address the socket connects to.
    const byName = (allowedAddresses: string[]) =>
      createRemoteFaceFetcher({
        urlTemplate: `http://localhost:${port}/ok?face={face}`,
        allowedHosts: ['localhost'],
        allowedAddresses,
        minTimeMs: 0,
        fallback,
      }).fetch(face);
    expect((await byName([])).fallbackReason).toMatch(
      /^Host "localhost" resolves to (127\.0\.0\.1|::1), a private, loopback or reserved address$/,
    );
    expect((await byName(['127.0.0.1', '::1'])).source).toBe('remote');
  });

  it('checks the address before a custom fetch is called', async () => {
    let called = 0;
    const result = await createRemoteFaceFetcher({
      urlTemplate: `http://localhost:${port}/ok?face={face}`,
      allowedHosts: ['localhost'],
      minTimeMs: 0,
      fallback,
      fetch: (...args) => {
        called += 1;
        return fetch(...args);
      },
    }).fetch(face);
    expect(result.fallbackReason).toMatch(/^Host "localhost" resolves to /);
    expect(called).toBe(0);
  });

  it('streams through a custom fetch with the same cap and type checks', async () => {
    const viaFetch = (path: string) =>
      local(path, { fetch: (...args) => fetch(...args), maxBytes: 100_000 }).fetch(face);
    expect((await viaFetch('/ok')).source).toBe('remote');
    expect((await viaFetch('/html-as-png')).fallbackReason).toBe(
      'The body is not image/png (its first bytes are not an image)',
    );
    expect((await viaFetch('/endless')).fallbackReason).toBe(
      'The image is too large (over 100000 bytes)',
    );
  });

  it('aborts through an AbortSignal, queued or transferring, without a fallback', async () => {
    const remote = local('/hang', { timeoutMs: 30_000 });
    const controller = new AbortController();
    const pending = remote.fetch(face, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isFaceError(error) && error.code).toBe('ABORTED');
    const before = await remote.fetch(face, { signal: AbortSignal.abort() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isFaceError(before) && before.code).toBe('ABORTED');
    await remote.stop();
    // One request at a time: the second waits in the queue behind a hanging one, and its abort
    // answers at once instead of when its turn comes.
    const single = local('/hang', { timeoutMs: 30_000, maxConcurrent: 1 });
    const first = new AbortController();
    const second = new AbortController();
    const hanging = single.fetch(face, { signal: first.signal }).catch((e: unknown) => e);
    const queued = single.fetch(face, { signal: second.signal }).catch((e: unknown) => e);
    setTimeout(() => second.abort(), 50);
    const queuedError = await queued;
    expect(isFaceError(queuedError) && queuedError.code).toBe('ABORTED');
    first.abort();
    const hangingError = await hanging;
    expect(isFaceError(hangingError) && hangingError.code).toBe('ABORTED');
    await single.stop();
  });

  it('validates allowedAddresses', () => {
    expect(() => createRemoteFaceFetcher({ allowedAddresses: ['localhost'] })).toThrow(
      /allowedAddresses\.0: expected an IP address/,
    );
  });
});
