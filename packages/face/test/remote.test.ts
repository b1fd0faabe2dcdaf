import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapFace, toFaceString } from '../src/index.js';
import { type RemoteFaceResult, createRemoteFaceFetcher } from '../src/render/index.js';
import { PERSONAS, makeProfile } from './fixtures/profiles.js';

const face = mapFace(makeProfile(PERSONAS['pop-fan']!));
const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/ok') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PNG_BYTES);
    } else if (url.pathname === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html></html>');
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
      res.end();
    } else if (url.pathname === '/slow') {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(PNG_BYTES);
      }, 1500);
    } else {
      res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const fallback = { size: 128, frame: 'none' as const };

describe('remote Notion faces', () => {
  it('fetches an allow-listed image once and serves it from the cache', async () => {
    const cache = new Map<string, RemoteFaceResult>();
    const remote = createRemoteFaceFetcher({
      urlTemplate: `${base}/ok?face={face}`,
      allowedHosts: ['127.0.0.1'],
      allowedAddresses: ['127.0.0.1'],
      minTimeMs: 0,
      cache: { get: (k) => cache.get(k), set: (k, v) => void cache.set(k, v) },
    });
    const before = hits.length;
    const a = await remote.fetch(face);
    const b = await remote.fetch(face);
    expect(a).toMatchObject({ source: 'remote', mimeType: 'image/png', fallbackReason: null });
    expect(Buffer.from(a.data).equals(PNG_BYTES)).toBe(true);
    expect(a.url).toBe(`${base}/ok?face=${toFaceString(face)}`);
    expect(b).toBe(a);
    expect(hits.length - before).toBe(1);
    await remote.stop();
  });

  it('never contacts hosts off the allow-list (no SSRF) and falls back with the reason', async () => {
    const before = hits.length;
    const remote = createRemoteFaceFetcher({ urlTemplate: `${base}/ok?face={face}`, fallback });
    const result = await remote.fetch(face);
    expect(result.source).toBe('offline');
    expect(result.fallbackReason).toBe('Host "127.0.0.1" is not on the allow-list');
    expect(hits.length).toBe(before);
    expect(result.mimeType).toBe('image/png');
    await remote.stop();
  });

  it('does not follow redirects, rejects non-images and times out', async () => {
    const make = (path: string) =>
      createRemoteFaceFetcher({
        urlTemplate: `${base}${path}?face={face}`,
        allowedHosts: ['127.0.0.1'],
        allowedAddresses: ['127.0.0.1'],
        timeoutMs: 300,
        minTimeMs: 0,
        fallback,
      });
    expect((await make('/redirect').fetch(face)).fallbackReason).toBe(
      'The server redirected (302); redirects are not followed',
    );
    expect((await make('/html').fetch(face)).fallbackReason).toBe(
      'The server sent text/html, not an image',
    );
    expect((await make('/fail').fetch(face)).fallbackReason).toBe('The server answered 500');
    expect((await make('/slow').fetch(face)).fallbackReason).toBe('No answer within 300 ms');
  });

  it('rejects plain http to non-loopback hosts and credentials in URLs', async () => {
    const insecure = createRemoteFaceFetcher({
      urlTemplate: 'http://faces.notion.com/?face={face}',
      fallback,
    });
    expect((await insecure.fetch(face)).fallbackReason).toBe('Only https is allowed (got http:)');
    const creds = createRemoteFaceFetcher({
      urlTemplate: 'https://user:pw@faces.notion.com/?face={face}',
      fallback,
    });
    expect((await creds.fetch(face)).fallbackReason).toBe('Credentials in the URL are not allowed');
  });

  it('validates its options', () => {
    expect(() => createRemoteFaceFetcher({ urlTemplate: 'https://faces.notion.com/' })).toThrow(
      /urlTemplate/,
    );
  });
});
