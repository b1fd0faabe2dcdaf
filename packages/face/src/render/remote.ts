import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import Bottleneck from 'bottleneck';
import { z } from 'zod';
import { FaceError, isFaceError } from '../errors/face-error.js';
import type { Face } from '../face.js';
import { toFaceString } from '../notion-url.js';
import { type DownloadedImage, downloadImage } from './remote-download.js';
import { type RenderFaceOptions, renderFace } from './render-face.js';
import { parseOptions } from '../internal/parse-options.js';

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
  /**
   * Largest accepted image (default 5 MB). The transfer stops as soon as the body passes it,
   * whatever the server declared.
   */
  readonly maxBytes?: number;
  /**
   * IP addresses that may be contacted although they are private, loopback or link-local
   * (exact match, e.g. `['127.0.0.1']` for a local test server). Every other address a host
   * resolves to is checked and such addresses are refused.
   */
  readonly allowedAddresses?: readonly string[];
  /** Where fetched images are kept (default: none). */
  readonly cache?: RemoteFaceCache;
  /**
   * A fetch to use instead of the built-in transport (node:http/https). The built-in transport
   * checks the address each connection actually goes to; with a custom fetch the host is
   * resolved and checked first, and the fetch resolves it again.
   */
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

/** Options of one {@link RemoteFaceFetcher.fetch} call. */
export interface RemoteFetchOptions {
  /**
   * Cancels the request: the promise rejects with a `FaceError` of code `ABORTED` (no fallback
   * render), whether the request is queued or transferring.
   */
  readonly signal?: AbortSignal;
}

/** Fetches Notion face images through a queue and a cache, falling back to the offline render. */
export interface RemoteFaceFetcher {
  /**
   * The image of a face: from the cache, else from the remote host, else the offline render
   * with the reason in `fallbackReason`.
   */
  fetch(face: Face, options?: RemoteFetchOptions): Promise<RemoteFaceResult>;
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
  allowedAddresses: z
    .array(z.string().refine((a) => isIP(a) !== 0, 'expected an IP address'))
    .optional(),
});

/** Settles with `job`, or rejects with ABORTED as soon as `signal` aborts (even while queued). */
function untilAborted<T>(job: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    job.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function aborted(signal: AbortSignal): FaceError {
  return new FaceError({
    code: 'ABORTED',
    message: 'The remote face request was aborted',
    cause: signal.reason,
  });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL of `text` when it is https (or http on loopback) to an allowed host, without credentials. */
function checkUrl(text: string, allowed: ReadonlySet<string>): URL {
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

/** What a download is limited by: time, size, addresses, and the fetch to use. */
interface DownloadLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly allowedAddresses: ReadonlySet<string>;
  readonly fetch: RemoteFaceOptions['fetch'];
}

/** Downloads an image within the limits; `ABORTED`, or `REMOTE_FAILED` naming a timeout or the failure. */
async function download(
  url: URL,
  limits: DownloadLimits,
  signal: AbortSignal | undefined,
): Promise<DownloadedImage> {
  const { timeoutMs, maxBytes, allowedAddresses } = limits;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
  if (signal?.aborted) throw aborted(signal);
  try {
    return await downloadImage(url, {
      maxBytes,
      allowedAddresses,
      signal: combined,
      fetch: limits.fetch,
    });
  } catch (cause) {
    if (signal?.aborted) throw aborted(signal);
    if (isFaceError(cause)) throw cause;
    throw new FaceError({
      code: 'REMOTE_FAILED',
      message: timeout.aborted
        ? `No answer within ${timeoutMs} ms`
        : `The request failed: ${(cause as Error).message}`,
      cause,
    });
  }
}

/**
 * Creates a fetcher for remote Notion face images. Only allow-listed hosts are contacted, and
 * only at public addresses (every address the host resolves to is checked; private, loopback,
 * link-local and IPv4-mapped forms of them are refused unless listed in `allowedAddresses`). No
 * redirect is followed. The body is streamed and dropped as soon as it passes `maxBytes`; only
 * PNG, JPEG, GIF, WebP and AVIF whose first bytes match the claimed type are accepted (never SVG,
 * which can carry scripts and external references). Each request has a timeout and can be
 * aborted through a signal; requests go through a bottleneck queue and results are cached. Any
 * other failure falls back to the offline render, with the reason.
 *
 * @example
 * ```ts
 * const remote = createRemoteFaceFetcher({ urlTemplate: 'https://faces.notion.com/image/{face}.png' });
 * const image = await remote.fetch(face);
 * if (image.source === 'offline') console.warn(image.fallbackReason);
 * ```
 */
export function createRemoteFaceFetcher(options: RemoteFaceOptions = {}): RemoteFaceFetcher {
  parseOptions(optionsSchema, options, 'remote face options');
  const template = options.urlTemplate ?? 'https://faces.notion.com/?face={face}';
  const allowed = new Set(options.allowedHosts ?? DEFAULT_REMOTE_HOSTS);
  const limits: DownloadLimits = {
    timeoutMs: options.timeoutMs ?? 5000,
    maxBytes: options.maxBytes ?? 5 * 1024 * 1024,
    allowedAddresses: new Set(options.allowedAddresses ?? []),
    fetch: options.fetch,
  };
  const limiter = new Bottleneck({
    maxConcurrent: options.maxConcurrent ?? 2,
    minTime: options.minTimeMs ?? 250,
  });

  async function fetchFace(face: Face, call: RemoteFetchOptions = {}): Promise<RemoteFaceResult> {
    const signal = call.signal;
    if (signal?.aborted) throw aborted(signal);
    const faceString = toFaceString(face);
    const urlText = template.replace('{face}', encodeURIComponent(faceString));
    const cached = await options.cache?.get(urlText);
    if (cached !== undefined) return cached;
    let result: RemoteFaceResult;
    try {
      const url = checkUrl(urlText, allowed);
      const job = limiter.schedule(() => download(url, limits, signal));
      const { data, mimeType } = signal === undefined ? await job : await untilAborted(job, signal);
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
      if (isFaceError(cause) && cause.code === 'ABORTED') throw cause;
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
