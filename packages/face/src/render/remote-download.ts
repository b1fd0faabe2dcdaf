import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { FaceError } from '../errors/face-error.js';
import { blockedAddressReason } from './address-policy.js';
import { REMOTE_IMAGE_TYPES, sniffImageType } from './image-type.js';

/** What a download needs to know besides the URL. */
export interface DownloadPolicy {
  /** Largest body accepted, in bytes; the transfer stops as soon as it is passed. */
  readonly maxBytes: number;
  /** Addresses that may be contacted even though they are private or loopback (exact match). */
  readonly allowedAddresses: ReadonlySet<string>;
  /** Aborts the transfer (timeout or the caller). */
  readonly signal: AbortSignal;
  /** A fetch to use instead of node:http(s); its address is checked by a lookup beforehand. */
  readonly fetch: typeof fetch | undefined;
}

/** A downloaded, checked image. */
export interface DownloadedImage {
  readonly data: Uint8Array;
  readonly mimeType: string;
}

interface RawResponse {
  readonly status: number;
  header(name: string): string | null;
  readonly body: AsyncIterable<Uint8Array>;
  cancel(): void;
}

const failed = (message: string, cause?: unknown): FaceError =>
  new FaceError({ code: 'REMOTE_FAILED', message, cause });

/** Throws HOST_NOT_ALLOWED unless `address` may be contacted. */
function checkAddress(host: string, address: string, policy: DownloadPolicy): void {
  if (policy.allowedAddresses.has(address)) return;
  const reason = blockedAddressReason(address);
  if (reason !== null) {
    throw new FaceError({
      code: 'HOST_NOT_ALLOWED',
      message: `Host "${host}" resolves to ${address}, ${reason}`,
    });
  }
}

/**
 * A DNS lookup that refuses blocked addresses. Node's sockets call it for the address they are
 * about to connect to, so the check cannot be raced by a second resolution (DNS rebinding).
 */
function guardedLookup(policy: DownloadPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, found) => {
      if (error) {
        callback(error, '', 4);
        return;
      }
      const list = found as LookupAddress[];
      try {
        if (list.length === 0) throw failed(`Host "${hostname}" has no address`);
        for (const entry of list) checkAddress(hostname, entry.address, policy);
      } catch (refused) {
        callback(refused as Error, '', 4);
        return;
      }
      if ((options as LookupOptions).all) callback(null, list as never, 4);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

function requestWithNode(url: URL, policy: DownloadPolicy): Promise<RawResponse> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'GET',
        signal: policy.signal,
        lookup: guardedLookup(policy),
        headers: { accept: REMOTE_IMAGE_TYPES.join(', ') },
      },
      (response) => {
        resolve({
          status: response.statusCode ?? 0,
          header: (name) => {
            const value = response.headers[name];
            return typeof value === 'string' ? value : null;
          },
          body: response,
          cancel: () => response.destroy(),
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

async function requestWithFetch(
  url: URL,
  policy: DownloadPolicy,
  doFetch: typeof fetch,
): Promise<RawResponse> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses =
    isIP(host) === 0
      ? await new Promise<LookupAddress[]>((resolve, reject) =>
          dnsLookup(host, { all: true }, (error, found) =>
            error ? reject(error) : resolve(found),
          ),
        )
      : [{ address: host, family: isIP(host) }];
  for (const entry of addresses) checkAddress(host, entry.address, policy);
  const response = await doFetch(url, { redirect: 'manual', signal: policy.signal });
  const body = response.body;
  return {
    status: response.status,
    header: (name) => response.headers.get(name),
    // Node's web stream is async-iterable; a DOM lib in the consumer's program does not say so.
    body: (body as AsyncIterable<Uint8Array> | null) ?? (async function* () {})(),
    cancel: () => {
      void body?.cancel().catch(() => undefined);
    },
  };
}

/**
 * Downloads one remote image: checks every address the host resolves to (a literal IP too),
 * follows no redirect, accepts only PNG, JPEG, GIF, WebP and AVIF (never SVG), stops reading as
 * soon as the body passes `maxBytes` (declared or not, chunked or not), and checks that the
 * first bytes are an image of the type the server claimed.
 */
export async function downloadImage(url: URL, policy: DownloadPolicy): Promise<DownloadedImage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) checkAddress(host, host, policy);
  const response =
    policy.fetch === undefined
      ? await requestWithNode(url, policy)
      : await requestWithFetch(url, policy, policy.fetch);
  try {
    if (response.status >= 300 && response.status < 400) {
      throw failed(`The server redirected (${response.status}); redirects are not followed`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw failed(`The server answered ${response.status}`);
    }
    const mimeType = (response.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (mimeType === 'image/svg+xml') {
      throw failed('The server sent an SVG image; SVG is refused (it can carry scripts and links)');
    }
    if (!REMOTE_IMAGE_TYPES.includes(mimeType)) {
      throw failed(
        mimeType.startsWith('image/')
          ? `The server sent ${mimeType}, which is not accepted (${REMOTE_IMAGE_TYPES.join(', ')})`
          : `The server sent ${mimeType || 'no content type'}, not an image`,
      );
    }
    const declared = Number(response.header('content-length') ?? '0');
    if (declared > policy.maxBytes) {
      throw failed(`The image is too large (${declared} bytes, at most ${policy.maxBytes})`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > policy.maxBytes) {
        throw failed(`The image is too large (over ${policy.maxBytes} bytes)`);
      }
      chunks.push(chunk);
    }
    const data = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      data.set(chunk, at);
      at += chunk.byteLength;
    }
    const actual = sniffImageType(data);
    if (actual !== mimeType) {
      throw failed(
        `The body is not ${mimeType} (its first bytes ${actual === null ? 'are not an image' : `are ${actual}`})`,
      );
    }
    return { data, mimeType };
  } finally {
    response.cancel();
  }
}
