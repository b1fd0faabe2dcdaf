import { z } from 'zod';
import type { Play } from '../domain/play.js';
import { CatalogError } from '../errors/catalog-error.js';
import { parseOptions } from '../internal/parse-options.js';

/** Plays per page of {@link IteratePlaysOptions} when `pageSize` is not given. */
export const DEFAULT_PLAY_PAGE_SIZE = 10_000;

/**
 * Options of `CatalogStore.iteratePlays`.
 *
 * `fields: 'stats'` reads only what listening statistics use (track, artist and album ids and
 * names, `endedAt`, `msPlayed`, `skipped`, `reasonEnd`, `offline`, `offlineTimestamp`, `source`):
 * `reasonStart`, `shuffle` and `platform` come back `null` and `artistIds` holds the primary
 * (first) artist only. It is the lean read for analytics over a long history.
 *
 * @example
 * ```ts
 * for await (const page of store.iteratePlays({ userId: 'u1', fields: 'stats' } satisfies IteratePlaysOptions)) {
 *   index.addAll(page);
 * }
 * ```
 */
export interface IteratePlaysOptions {
  readonly userId: string;
  /** Inclusive lower bound on `endedAt` (Unix ms). */
  readonly from?: number;
  /** Exclusive upper bound on `endedAt` (Unix ms). */
  readonly to?: number;
  /** Plays per page, 1 to 100,000 (default {@link DEFAULT_PLAY_PAGE_SIZE}). */
  readonly pageSize?: number;
  /** `'all'` (default): whole plays; `'stats'`: the columns statistics read (see above). */
  readonly fields?: 'all' | 'stats';
}

/**
 * Options of `CatalogStore.listRecentPlays`: a page of a listener's plays, newest first.
 *
 * @example
 * ```ts
 * const first = await store.listRecentPlays({ userId: 'u1', limit: 50 } satisfies RecentPlaysOptions);
 * const next = first.next === null ? null : await store.listRecentPlays({ userId: 'u1', limit: 50, before: first.next });
 * ```
 */
export interface RecentPlaysOptions {
  readonly userId: string;
  /** Only plays whose artist name contains this text (case-insensitive). */
  readonly artist?: string;
  /** Only plays whose track name contains this text (case-insensitive). */
  readonly track?: string;
  /** Inclusive lower bound on `endedAt` (Unix ms). */
  readonly from?: number;
  /** Exclusive upper bound on `endedAt` (Unix ms). */
  readonly to?: number;
  /**
   * The `next` cursor of the previous page: continues with the plays older than its last. A
   * cursor reads `<endedAt>.<position>`: the `endedAt` of that last play, then its place in
   * storage order.
   */
  readonly before?: string;
  /** Plays per page, 1 to 1,000. */
  readonly limit: number;
}

/**
 * A page of {@link RecentPlaysOptions}: plays newest first (ties newest stored first) and the
 * cursor of the next page, or `null` after the oldest play that matches.
 *
 * @example
 * ```ts
 * const { plays, next }: RecentPlaysPage = await store.listRecentPlays({ userId: 'u1', limit: 50 });
 * ```
 */
export interface RecentPlaysPage {
  readonly plays: Play[];
  readonly next: string | null;
}

/** A position in a listener's play log: `endedAt`, then the order plays were stored in. */
export interface PlayPosition {
  readonly endedAt: number;
  readonly seq: number;
}

const bound = z.number().int().safe();

const iterateSchema = z.object({
  userId: z.string(),
  from: bound.optional(),
  to: bound.optional(),
  pageSize: z.number().int().min(1).max(100_000).default(DEFAULT_PLAY_PAGE_SIZE),
  fields: z.enum(['all', 'stats']).default('all'),
});

const recentSchema = z.object({
  userId: z.string(),
  artist: z.string().max(200).optional(),
  track: z.string().max(200).optional(),
  from: bound.optional(),
  to: bound.optional(),
  before: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(1000),
});

/** Checked options of {@link IteratePlaysOptions}, defaults filled in. */
export type IteratePlaysQuery = z.output<typeof iterateSchema>;
/** Checked options of {@link RecentPlaysOptions}, the cursor decoded. */
export type RecentPlaysQuery = Omit<z.output<typeof recentSchema>, 'before'> & {
  readonly before: PlayPosition | undefined;
};

/** Validates {@link IteratePlaysOptions}; throws `CatalogError` (`INVALID_INPUT`) naming the field. */
export function parseIteratePlays(options: IteratePlaysOptions): IteratePlaysQuery {
  return parseOptions(iterateSchema, options, 'iteratePlays options');
}

/** Validates {@link RecentPlaysOptions} and decodes the cursor. */
export function parseRecentPlays(options: RecentPlaysOptions): RecentPlaysQuery {
  const q = parseOptions(recentSchema, options, 'listRecentPlays options');
  return { ...q, before: q.before === undefined ? undefined : decodePlayCursor(q.before) };
}

/** The cursor of the page after `last` (opaque to callers: `<endedAt>.<seq>`). */
export function encodePlayCursor(last: PlayPosition): string {
  return `${last.endedAt}.${last.seq}`;
}

function decodePlayCursor(cursor: string): PlayPosition {
  const match = /^(-?\d{1,16})\.(\d{1,16})$/.exec(cursor);
  const endedAt = Number(match?.[1]);
  const seq = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(endedAt) || !Number.isSafeInteger(seq)) {
    throw new CatalogError({
      code: 'INVALID_INPUT',
      message: 'Invalid listRecentPlays options: before: not a cursor returned by listRecentPlays',
    });
  }
  return { endedAt, seq };
}

/** The lean copy of a play that `fields: 'stats'` returns. */
export function statsFields(p: Play): Play {
  const artist = p.artistIds[0];
  return {
    ...p,
    artistIds: artist === undefined ? [] : [artist],
    reasonStart: null,
    shuffle: null,
    platform: null,
  };
}

/** Whether `text` contains `part`, ignoring case (the memory store's `ilike`). */
export function containsText(text: string | null, part: string | undefined): boolean {
  return (
    part === undefined || part === '' || (text ?? '').toLowerCase().includes(part.toLowerCase())
  );
}
