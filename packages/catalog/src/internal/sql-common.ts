import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Track } from '../domain/track.js';
import { byCodeUnits } from './shared-row-writes.js';
import type { CatalogDatabase, TracksTable } from './sql-schema.js';

/** The catalog's Kysely handle (the root connection or a transaction). */
export type Db = Kysely<CatalogDatabase>;

/** Most bound parameters one statement may carry (PostgreSQL allows 65535). */
const MAX_PARAMS = 30_000;

/** Splits `items` into parts small enough that `columns` parameters per item fit one statement. */
export function chunks<T>(items: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Keeps the last item per key (a later upsert in the same batch wins, as in memory), sorted by
 * key: every multi-row write locks its rows in key order, so concurrent writers of overlapping
 * sets wait on each other instead of deadlocking.
 */
export function lastById<T>(items: readonly T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return [...map.entries()].sort((a, b) => byCodeUnits(a[0], b[0])).map((e) => e[1]);
}

/** A value bound as jsonb. */
export function jsonb(value: unknown): RawBuilder<string> {
  return sql<string>`${JSON.stringify(value)}::text::jsonb`;
}

/** A bigint column read back as a number. */
export function num(value: number | string | bigint): number {
  return Number(value);
}

export function numOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : Number(value);
}

/** A text column compared in code-unit order. */
export const textC = (column: string) => sql`${sql.ref(column)} collate "C"`;

/** A value read from a jsonb column as a list of strings. */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/**
 * `on conflict (<key>) do update set <column> = excluded.<column>, ...` over `columns`, leaving a
 * row equal to the stored one as it is (no new row version). It has no parameters, so callers
 * build it once and reuse it.
 */
export function upsertTail(key: string, table: string, columns: readonly string[]) {
  const fields = (prefix: string) => sql.join(columns.map((c) => sql.ref(`${prefix}.${c}`)));
  return sql`on conflict (${sql.raw(key)}) do update set ${sql.join(
    columns.map((c) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`),
  )}
    where (${fields(table)}) is distinct from (${fields('excluded')})`;
}

/**
 * `on conflict do update` assignments that take each named column of table row `R` from the
 * proposed row (`name = excluded.name, ...`), in the order given.
 */
export function fromExcluded<R>(columns: readonly (keyof R & string)[]) {
  // biome-ignore lint/suspicious/noExplicitAny: `excluded.<column>` is outside Kysely's table types
  return (eb: { ref: (ref: any) => unknown }) =>
    Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)])) as Record<string, never>;
}

/** A `catalog_tracks` row as read (the columns a {@link Track} is made of). */
export type TrackRow = Omit<Selectable<TracksTable>, 'primary_artist_id'>;

export function toTrack(r: TrackRow): Track {
  return {
    id: r.id,
    name: r.name,
    albumId: r.album_id,
    artistIds: strings(r.artist_ids),
    ownerArtistId: r.owner_artist_id,
    durationMs: r.duration_ms,
    isrc: r.isrc,
    explicit: r.explicit,
    visibility: r.visibility === 'private' ? 'private' : 'public',
    discNumber: r.disc_number,
    trackNumber: r.track_number,
    addedAt: num(r.added_at),
  };
}
