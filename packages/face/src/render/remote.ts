import { createHash } from 'node:crypto';
import Bottleneck from 'bottleneck';
import { z } from 'zod';
import { FaceError, isFaceError } from '../errors/face-error.js';
import type { Face } from '../face.js';
import { toFaceString } from '../notion-url.js';
import { type RenderFaceOptions, renderFace } from './render-face.js';

/**
 * Hosts the remote fetcher may contact by default.
 *
 * @example
 * ```ts
 * createRemoteFaceFetcher({ allowedHosts: [...DEFAULT_REMOTE_HOSTS, 'images.example.com'] });
 * ```
 */
export const DEFAULT_REMOTE_HOSTS: readonly string[] = ['faces.notion.com'];

/** A cache for remote images (an in-memory Map works; so does a Redis adapter). */
export interface RemoteFaceCache {
  /** The cached image for `key` (the face string), or undefined. */
  get(key: string): Promise<RemoteFaceResult | undefined> | RemoteFaceResult | undefined;
  /** Stores a fetched image under `key`. */
  set(key: string, value: RemoteFaceResult): Promise<void> | void;
}

/** Options of {@link createRemoteFaceFetcher}. */
export interface RemoteFaceOptions {
  /**
   * URL template with `{face}` for the face string. The default points at faces.notion.com; the
   * site documents no image endpoint, so callers that know one pass it here.
   */
  readonly urlTemplate?: string;
  /** Hosts allowed (exact match). Default: faces.notion.com only. */
  readonly allowedHosts?: readonly string[];
  /** Per-request timeout (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Requests in flight at once (default 2). */
  readonly maxConcurrent?: number;
  /** Minimum spacing between request starts (default 250 ms). */
  readonly minTimeMs?: number;
  /** Largest accepted image (default 5 MB). */
  readonly maxBytes?: number;
  /** Where fetched images are kept (default: none). */
  readonly cache?: RemoteFaceCache;
  /** The fetch to use (default: global fetch). */
  readonly fetch?: typeof fetch;
  /** Options of the offline render used as fallback. */
  readonly fallback?: RenderFaceOptions;
}

/** The image and where it came from. */
export interface RemoteFaceResult {
  /** `remote` when fetched from the host, `offline` when rendered locally as the fallback. */
  readonly source: 'remote' | 'offline';
  /** The image bytes. */
  readonly data: Uint8Array;
  /** MIME type of `data` (`image/png`, ...). */
  readonly mimeType: string;
  /** sha256 of the bytes (hex), for caching and ETags. */
  readonly contentHash: string;
  /** The URL asked for (also for an offline fallback). */
  readonly url: string;
  /** Why the offline render was used, or null for a remote image. */
  readonly fallbackReason: string | null;
}

/** Fetches Notion face images through a queue and a cache, falling back to the offline render. */
export interface RemoteFaceFetcher {
  /** The image of `face`: from the cache, the host, or the offline render with the reason. */
  fetch(face: Face): Promise<RemoteFaceResult>;
  /** Stops the queue (pending requests are dropped). */
  stop(): Promise<void>;
}

const optionsSchema = z.object({
  urlTemplate: z.string().includes('{face}').optional(),
  allowedHosts: z.array(z.string().min(1)).optional(),
  timeoutMs: z.number().int().min(1).max(60_000).optional(),
  maxConcurrent: z.number().int().min(1).max(16).optional(),
  minTimeMs: z.number().int().min(0).optional(),
  maxBytes: z.number().int().min(1).optional(),
});

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Creates a fetcher for remote Notion face images. Only allow-listed hosts are contacted (no
 * redirects are followed, so a redirect cannot lead elsewhere), each request has a timeout,
 * requests go through a bottleneck queue and results are cached. Any failure falls back to the
 * offline render, with the reason.
 *
 * @example
 * ```ts
 * const remote = createRemoteFaceFetcher({ urlTemplate: 'https://faces.notion.com/image/{face}.png' });
 * const image = await remote.fetch(face);
 * if (image.source === 'offline') console.warn(image.fallbackReason);
 * ```
 */
export function createRemoteFaceFetcher(options: RemoteFaceOptions = {}): RemoteFaceFetcher {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new FaceError({
      code: 'INVALID_OPTIONS',
      message: `Invalid remote face options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      cause: parsed.error,
    });
  const template = options.urlTemplate ?? 'https://faces.notion.com/?face={face}';
  const allowed = new Set(options.allowedHosts ?? DEFAULT_REMOTE_HOSTS);
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const doFetch = options.fetch ?? globalThis.fetch;
  const limiter = new Bottleneck({
    maxConcurrent: options.maxConcurrent ?? 2,
    minTime: options.minTimeMs ?? 250,
  });

  function checkUrl(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch (cause) {
      throw new FaceError({
        code: 'HOST_NOT_ALLOWED',
        message: 'The remote face URL is not a valid URL',
        cause,
      });
    }
    const host = url.hostname.toLowerCase();
    if (!allowed.has(host))
      throw new FaceError({
        code: 'HOST_NOT_ALLOWED',
        message: `Host "${host}" is not on the allow-list`,
      });
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(host)))
      throw new FaceError({
        code: 'HOST_NOT_ALLOWED',
        message: `Only https is allowed (got ${url.protocol})`,
      });
    if (url.username !== '' || url.password !== '')
      throw new FaceError({
        code: 'HOST_NOT_ALLOWED',
        message: 'Credentials in the URL are not allowed',
      });
    return url;
  }

  async function download(url: URL): Promise<{ data: Uint8Array; mimeType: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await doFetch(url, { redirect: 'manual', signal: controller.signal });
      if (response.status >= 300 && response.status < 400)
        throw new FaceError({
          code: 'REMOTE_FAILED',
          message: `The server redirected (${response.status}); redirects are not followed`,
        });
      if (!response.ok)
        throw new FaceError({
          code: 'REMOTE_FAILED',
          message: `The server answered ${response.status}`,
        });
      const mimeType = (response.headers.get('content-type') ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (!mimeType.startsWith('image/'))
        throw new FaceError({
          code: 'REMOTE_FAILED',
          message: `The server sent ${mimeType || 'no content type'}, not an image`,
        });
      const length = Number(response.headers.get('content-length') ?? '0');
      if (length > maxBytes)
        throw new FaceError({
          code: 'REMOTE_FAILED',
          message: `The image is too large (${length} bytes)`,
        });
      const data = new Uint8Array(await response.arrayBuffer());
      if (data.byteLength > maxBytes)
        throw new FaceError({
          code: 'REMOTE_FAILED',
          message: `The image is too large (${data.byteLength} bytes)`,
        });
      return { data, mimeType };
    } catch (cause) {
      if (isFaceError(cause)) throw cause;
      const timedOut = controller.signal.aborted;
      throw new FaceError({
        code: 'REMOTE_FAILED',
        message: timedOut
          ? `No answer within ${timeoutMs} ms`
          : `The request failed: ${(cause as Error).message}`,
        cause,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async function fetchFace(face: Face): Promise<RemoteFaceResult> {
    const faceString = toFaceString(face);
    const urlText = template.replace('{face}', encodeURIComponent(faceString));
    const cached = await options.cache?.get(urlText);
    if (cached !== undefined) return cached;
    let result: RemoteFaceResult;
    try {
      const url = checkUrl(urlText);
      const { data, mimeType } = await limiter.schedule(() => download(url));
      result = {
        source: 'remote',
        data,
        mimeType,
        contentHash: createHash('sha256').update(data).digest('hex'),
        url: urlText,
        fallbackReason: null,
      };
      await options.cache?.set(urlText, result);
    } catch (cause) {
      const offline = await renderFace(face, options.fallback ?? {});
      result = {
        source: 'offline',
        data: offline.data,
        mimeType: offline.mimeType,
        contentHash: offline.contentHash,
        url: urlText,
        fallbackReason: (cause as Error).message,
      };
    }
    return result;
  }

  return {
    fetch: fetchFace,
    stop: async () => {
      await limiter.stop({ dropWaitingJobs: true });
    },
  };
}
