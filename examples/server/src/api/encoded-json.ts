import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** Smaller answers are sent as they are (compressing them saves nothing worth the CPU). */
const COMPRESS_FROM_BYTES = 1_024;

/**
 * A JSON answer serialized once, for answers many requests share (search, trending): its bytes,
 * its ETag (the weak form Express gives a body) and its gzip and brotli forms, each made at most
 * once, at the first request that accepts it. Sending it costs no `JSON.stringify`, no hashing and
 * no compression per request.
 *
 * @example
 * ```ts
 * const answer = EncodedJson.of({ items: [] });
 * answer.send(req, res, 200);
 * ```
 */
export class EncodedJson {
  #gzip: Buffer | undefined;
  #br: Buffer | undefined;

  private constructor(
    readonly bytes: Buffer,
    readonly etag: string,
  ) {}

  /** Serializes `body` (as `res.json` would). */
  static of(body: unknown): EncodedJson {
    const bytes = Buffer.from(JSON.stringify(body));
    const hash = createHash('sha1').update(bytes).digest('base64').slice(0, 27);
    return new EncodedJson(bytes, `W/"${bytes.length.toString(16)}-${hash}"`);
  }

  /**
   * Sends the answer with `status`: 304 when the request's `If-None-Match` holds its ETag, the
   * encoding the client accepts best (brotli, gzip, or none), and no body for HEAD.
   */
  send(req: Request, res: Response, status: number): void {
    res.status(status);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('ETag', this.etag);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    let bytes = this.bytes;
    if (bytes.length >= COMPRESS_FROM_BYTES) {
      res.vary('Accept-Encoding');
      const encoding = req.acceptsEncodings('br', 'gzip');
      if (encoding === 'br') {
        this.#br ??= brotliCompressSync(this.bytes, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 9 },
        });
        bytes = this.#br;
      } else if (encoding === 'gzip') {
        this.#gzip ??= gzipSync(this.bytes, { level: 9 });
        bytes = this.#gzip;
      }
      // The compression middleware leaves an answer that already has an encoding as it is.
      if (encoding === 'br' || encoding === 'gzip') res.setHeader('Content-Encoding', encoding);
    }
    res.setHeader('Content-Length', String(bytes.length));
    if (req.method === 'HEAD') res.end();
    else res.end(bytes);
  }
}
