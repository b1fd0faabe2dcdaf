import type { ByteRange } from '../../storage/object-store.js';

/** What a `Range` header asks of a representation of `size` bytes. */
export type RangeRequest =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly range: ByteRange }
  | { readonly kind: 'unsatisfiable' };

/**
 * Reads a `Range` header (RFC 9110 §14) for a representation of `size` bytes. One range is
 * served: `bytes=a-b`, open-ended `bytes=a-` and suffix `bytes=-n`; an end past the last byte is
 * cut to it. A first byte at or past the end (or a zero-length suffix) is unsatisfiable (416).
 * A header that is not a byte range, is malformed, or asks for several ranges is ignored and the
 * whole representation is served, as the RFC allows.
 *
 * @example
 * ```ts
 * parseRange('bytes=-500', 10_000); // { kind: 'partial', range: { start: 9500, end: 9999 } }
 * ```
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (match === null) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start)) return { kind: 'unsatisfiable' };
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', range: { start, end } };
}

/**
 * Whether an `If-Range` header still matches the representation (so the range applies): a strong
 * ETag equal to the current one, or an HTTP date not earlier than the last modification (to the
 * second). A weak ETag never matches; a missing header always does.
 *
 * @example
 * ```ts
 * ifRangeMatches('"abc"', { etag: '"abc"', updatedAt: 0 }); // true
 * ```
 */
export function ifRangeMatches(
  header: string | undefined,
  current: { readonly etag: string; readonly updatedAt: number },
): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('W/')) return false;
  if (value.startsWith('"')) return value === current.etag;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return false;
  return Math.floor(current.updatedAt / 1000) * 1000 <= date;
}
