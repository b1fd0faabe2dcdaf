import { z } from 'zod';
import { SpotifyError } from './errors/spotify-error.js';
import { parseOptions } from './internal/parse-options.js';
import type { SpotifyCursorPaging, SpotifyPaging } from './schemas/paging.js';

/** Options of `client.paginate`. */
export interface PaginateOptions {
  /** Stop after this many items. */
  maxItems?: number | undefined;
  /** Stop (with an `ABORTED` error) when this signal aborts. */
  signal?: AbortSignal | undefined;
}

/** Paging parameters the iterator fills in from each page's `next` URL. */
export interface PageParams {
  offset?: number | undefined;
  after?: string | number | undefined;
  before?: string | number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Iterates every item of an offset or cursor paged endpoint, following each page's `next` link
 * (its `offset`, `after` or `before` parameter).
 *
 * @example
 * ```ts
 * for await (const saved of paginate((p: { offset?: number }) => client.getSavedTracks(p), {}, { maxItems: 200 })) {
 *   console.log(saved.track.name);
 * }
 * ```
 */
export async function* paginate<P extends PageParams, I>(
  fetchPage: (params: P) => Promise<SpotifyPaging<I> | SpotifyCursorPaging<I>>,
  params: P,
  options: PaginateOptions = {},
): AsyncGenerator<I, void, undefined> {
  // Checked on the first `next()`: the iterator rejects, it never throws synchronously.
  parseOptions(paginateArgsSchema, { fetchPage, params, options });
  const maxItems = options.maxItems ?? Number.POSITIVE_INFINITY;
  let yielded = 0;
  let current: P = options.signal ? { ...params, signal: options.signal } : params;
  while (yielded < maxItems) {
    throwIfAborted(options.signal);
    const page = await fetchPage(current);
    for (const item of page.items) {
      if (yielded >= maxItems) return;
      throwIfAborted(options.signal);
      yield item;
      yielded += 1;
    }
    if (!page.next || page.items.length === 0) return;
    const next = new URL(page.next).searchParams;
    const update: PageParams = {};
    const offset = next.get('offset');
    const after = next.get('after');
    const before = next.get('before');
    if (offset !== null) update.offset = Number(offset);
    if (after !== null) update.after = after;
    if (before !== null) update.before = before;
    if (offset === null && after === null && before === null) return;
    current = { ...current, ...update };
    // `after` and `before` are never sent together.
    if (before !== null && after === null) delete current.after;
    if (after !== null && before === null) delete current.before;
  }
}

const paginateArgsSchema = z.object({
  fetchPage: z.custom<(params: never) => unknown>((v) => typeof v === 'function', {
    message: 'a method returning pages',
  }),
  params: z.custom<object>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
    message: 'a parameters object',
  }),
  options: z.object({ maxItems: z.number().min(0).optional() }),
});

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new SpotifyError({
      code: 'ABORTED',
      message: 'Pagination was aborted',
      cause: signal.reason,
    });
  }
}
