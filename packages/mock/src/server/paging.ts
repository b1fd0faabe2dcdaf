import { ApiError } from './api-error.js';

/** Parses `limit` (integer in 1..max, default `fallback`); out of range answers 400 like Spotify. */
export function parseLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new ApiError(400, 'Invalid limit');
  return value;
}

/** Parses `offset` (integer in 0..max, default 0). */
export function parseOffset(query: URLSearchParams, max = Number.MAX_SAFE_INTEGER): number {
  const raw = query.get('offset');
  if (raw === null || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new ApiError(400, 'Invalid offset');
  return value;
}

/** Builds a URL on `base` with the query, replacing `offset` and `limit`. */
function withPage(base: string, query: URLSearchParams, offset: number, limit: number): string {
  const params = new URLSearchParams(query);
  params.set('offset', String(offset));
  params.set('limit', String(limit));
  return `${base}?${params.toString()}`;
}

/** An offset paging object over `items` (already complete), with href/next/previous. */
export function offsetPage<T, R>(
  items: readonly T[],
  options: {
    base: string;
    query: URLSearchParams;
    offset: number;
    limit: number;
    map: (item: T) => R;
  },
): {
  href: string;
  items: R[];
  limit: number;
  next: string | null;
  offset: number;
  previous: string | null;
  total: number;
} {
  const { base, query, offset, limit } = options;
  const slice = items.slice(offset, offset + limit).map(options.map);
  return {
    href: withPage(base, query, offset, limit),
    items: slice,
    limit,
    next: offset + limit < items.length ? withPage(base, query, offset + limit, limit) : null,
    offset,
    previous: offset > 0 ? withPage(base, query, Math.max(0, offset - limit), limit) : null,
    total: items.length,
  };
}

/** Splits a comma-separated `ids` parameter, enforcing Spotify's batch maximum. */
export function parseIds(query: URLSearchParams, max: number, name = 'ids'): string[] {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '')
    throw new ApiError(400, `Missing required parameter: ${name}`);
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  if (ids.length > max) throw new ApiError(400, `Too many ids requested`);
  return ids;
}

/** Parses Spotify URIs (`spotify:track:ID`) from a comma-separated parameter or an array. */
export function parseUris(
  raw: string | readonly unknown[] | null,
  max: number,
): { type: string; id: string; uri: string }[] {
  if (raw === null) throw new ApiError(400, 'Missing required parameter: uris');
  const list = typeof raw === 'string' ? raw.split(',') : raw;
  if (list.length === 0) throw new ApiError(400, 'Missing required parameter: uris');
  if (list.length > max) throw new ApiError(400, `Too many URIs: at most ${max}`);
  return list.map((value) => {
    const uri = typeof value === 'string' ? value.trim() : '';
    const match = /^spotify:([a-z]+):([0-9A-Za-z]+)$/.exec(uri);
    if (match === null) throw new ApiError(400, `Invalid URI: ${String(value)}`);
    return { type: match[1] as string, id: match[2] as string, uri };
  });
}
