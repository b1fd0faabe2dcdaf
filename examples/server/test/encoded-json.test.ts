import type { AddressInfo } from 'node:net';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { request } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncodedJson } from '../src/api/encoded-json.js';

const large = {
  items: Array.from({ length: 40 }, (_, i) => ({ id: `s_${i}`, name: `Song ${i}`, score: i / 3 })),
};
const small = { items: [] };

/** A raw HTTP answer (no automatic decompression). */
function get(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('EncodedJson', () => {
  let base = '';
  let close: () => void = () => undefined;
  beforeAll(async () => {
    const app = express();
    const answers = { large: EncodedJson.of(large), small: EncodedJson.of(small) };
    app.get('/:which', (req, res) =>
      answers[req.params.which as 'large' | 'small'].send(req, res, 200),
    );
    // What res.json answers for the same body, to compare the ETag with.
    app.get('/express/:which', (req, res) => {
      res.json(req.params.which === 'large' ? large : small);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('sends the JSON with the ETag res.json would give it', async () => {
    const ours = await get(`${base}/large`);
    const express = await get(`${base}/express/large`);
    expect(ours.status).toBe(200);
    expect(JSON.parse(ours.body.toString())).toEqual(large);
    expect(ours.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(ours.headers.etag).toBe(express.headers.etag);
    expect(ours.headers['content-length']).toBe(String(ours.body.length));
  });

  it('compresses for the encoding the client accepts, once', async () => {
    const gzip = await get(`${base}/large`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toEqual(large);
    const br = await get(`${base}/large`, { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(large);
    const again = await get(`${base}/large`, { 'accept-encoding': 'gzip' });
    expect(again.body.equals(gzip.body)).toBe(true);
    const tiny = await get(`${base}/small`, { 'accept-encoding': 'gzip' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(tiny.body.toString())).toEqual(small);
  });

  it('answers 304 to a matching If-None-Match and no body to HEAD', async () => {
    const first = await get(`${base}/large`);
    const etag = String(first.headers.etag);
    const same = await get(`${base}/large`, { 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(same.body.length).toBe(0);
    const head = await get(`${base}/large`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
  });
});
