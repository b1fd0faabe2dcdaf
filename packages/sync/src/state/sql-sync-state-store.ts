import {
  type PgliteStoreOptions,
  type PostgresStoreOptions,
  type SqlTarget,
  openMigratedDatabase,
} from '@spoti/catalog/sql';
import { isCatalogError } from '@spoti/catalog';
import { type Kysely, sql } from 'kysely';
import { SyncError } from '../errors/sync-error.js';
import type { SyncDatabase } from '../internal/sql-schema.js';
import * as initial from '../migrations/0001-sync-state.js';
import type {
  AvailabilityRecord,
  AvailabilityStatus,
  LibraryEntry,
  LibraryKind,
  SyncGap,
  SyncRun,
  SyncRunKind,
  SyncStateStore,
  TrackRef,
} from './sync-state-store.js';

type Db = Kysely<SyncDatabase>;
const num = (v: number | string | bigint): number => Number(v);
const jsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::text::jsonb`;
const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Own bookkeeping table, so the catalog's and an application's migrations are untouched. */
const MIGRATION_TABLE = 'spoti_sync_migration';

/** The catalog's set-up errors, as this package's. */
function asSyncError(error: unknown): unknown {
  if (!isCatalogError(error)) return error;
  return new SyncError({
    code: error.code === 'INVALID_INPUT' ? 'INVALID_OPTIONS' : 'STORE_FAILURE',
    message: `Sync state store: ${error.message}`,
    cause: error,
  });
}

/** Opens (or adopts) the database, migrates the sync tables, and wraps it as a store. */
async function openStateStore(target: SqlTarget): Promise<SyncStateStore> {
  const opened = await openMigratedDatabase(target, {
    migrations: { '0001-sync-state': initial },
    table: MIGRATION_TABLE,
  }).catch((error: unknown) => {
    throw asSyncError(error);
  });
  return new SqlSyncStateStore(opened.backend, opened.db as unknown as Db, () => opened.close());
}

/**
 * The SQL {@link SyncStateStore}: Kysely over PGlite or PostgreSQL, tables prefixed
 * `spoti_sync_` with a checked-in migration. Made by {@link createPgliteSyncStateStore},
 * {@link createPostgresSyncStateStore} or {@link createSqlSyncStateStore}.
 *
 * @example
 * ```ts
 * const state = await createPgliteSyncStateStore();
 * console.log(state.backend); // 'pglite'
 * ```
 */
export class SqlSyncStateStore implements SyncStateStore {
  /** @internal */
  constructor(
    readonly backend: 'pglite' | 'postgres',
    private readonly db: Db,
    private readonly destroy: () => Promise<void>,
  ) {}

  async getValue(userId: string, key: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('spoti_sync_values')
      .select('value')
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value ?? null;
  }

  async setValue(userId: string, key: string, value: unknown): Promise<void> {
    await this.db
      .insertInto('spoti_sync_values')
      .values({ user_id: userId, key, value: jsonb(value) })
      .onConflict((oc) =>
        oc.columns(['user_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
  }

  async deleteValue(userId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('spoti_sync_values')
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
  }

  async addGap(gap: SyncGap): Promise<void> {
    await this.db
      .insertInto('spoti_sync_gaps')
      .values({
        id: gap.id,
        user_id: gap.userId,
        from_ms: gap.from,
        to_ms: gap.to,
        estimated_missed: gap.estimatedMissed,
        detected_at: gap.detectedAt,
        filled_at: gap.filledAt,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async listGaps(userId: string): Promise<SyncGap[]> {
    const rows = await this.db
      .selectFrom('spoti_sync_gaps')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('from_ms')
      .orderBy('to_ms')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      from: num(r.from_ms),
      to: num(r.to_ms),
      estimatedMissed: r.estimated_missed,
      detectedAt: num(r.detected_at),
      filledAt: r.filled_at === null ? null : num(r.filled_at),
    }));
  }

  async fillGaps(userId: string, ids: readonly string[], filledAt: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('spoti_sync_gaps')
      .set({ filled_at: filledAt })
      .where('user_id', '=', userId)
      .where('id', 'in', [...ids])
      .where('filled_at', 'is', null)
      .execute();
  }

  async listLibrary(userId: string, kind: LibraryKind): Promise<LibraryEntry[]> {
    const rows = await this.db
      .selectFrom('spoti_sync_library')
      .selectAll()
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      kind: r.kind as LibraryKind,
      id: r.item_id,
      addedAt: num(r.added_at),
      seenAt: num(r.seen_at),
    }));
  }

  async putLibrary(entries: readonly LibraryEntry[]): Promise<void> {
    const unique = new Map(entries.map((e) => [`${e.userId}\u0000${e.kind}\u0000${e.id}`, e]));
    for (const part of chunks([...unique.values()])) {
      await this.db
        .insertInto('spoti_sync_library')
        .values(
          part.map((e) => ({
            user_id: e.userId,
            kind: e.kind,
            item_id: e.id,
            added_at: e.addedAt,
            seen_at: e.seenAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['user_id', 'kind', 'item_id']).doUpdateSet((eb) => ({
            added_at: eb.ref('excluded.added_at'),
            seen_at: eb.ref('excluded.seen_at'),
          })),
        )
        .execute();
    }
  }

  async removeLibrary(userId: string, kind: LibraryKind, ids: readonly string[]): Promise<void> {
    for (const part of chunks(ids)) {
      await this.db
        .deleteFrom('spoti_sync_library')
        .where('user_id', '=', userId)
        .where('kind', '=', kind)
        .where('item_id', 'in', part)
        .execute();
    }
  }

  async getAlbumTracks(albumIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of chunks([...new Set(albumIds)])) {
      const rows = await this.db
        .selectFrom('spoti_sync_album_tracks')
        .selectAll()
        .where('album_id', 'in', part)
        .execute();
      for (const r of rows)
        out.set(r.album_id, Array.isArray(r.track_ids) ? r.track_ids.map(String) : []);
    }
    return out;
  }

  async putAlbumTracks(albums: ReadonlyMap<string, readonly string[]>): Promise<void> {
    for (const part of chunks([...albums])) {
      await this.db
        .insertInto('spoti_sync_album_tracks')
        .values(part.map(([id, tracks]) => ({ album_id: id, track_ids: jsonb(tracks) })))
        .onConflict((oc) =>
          oc.column('album_id').doUpdateSet((eb) => ({ track_ids: eb.ref('excluded.track_ids') })),
        )
        .execute();
    }
  }

  async addTrackRefs(refs: readonly TrackRef[]): Promise<void> {
    const unique = new Map(refs.map((r) => [`${r.trackId}\u0000${r.userId}\u0000${r.ref}`, r]));
    for (const part of chunks([...unique.values()])) {
      await this.db
        .insertInto('spoti_sync_track_refs')
        .values(part.map((r) => ({ track_id: r.trackId, user_id: r.userId, ref: r.ref })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  async removeTrackRefs(refs: readonly TrackRef[]): Promise<void> {
    for (const part of chunks(refs, 300)) {
      await this.db
        .deleteFrom('spoti_sync_track_refs')
        .where((eb) =>
          eb.or(
            part.map((r) =>
              eb.and([
                eb('track_id', '=', r.trackId),
                eb('user_id', '=', r.userId),
                eb('ref', '=', r.ref),
              ]),
            ),
          ),
        )
        .execute();
    }
  }

  async unreferencedTracks(trackIds: readonly string[]): Promise<string[]> {
    const unique = [...new Set(trackIds)];
    const referenced = new Set<string>();
    for (const part of chunks(unique)) {
      const rows = await this.db
        .selectFrom('spoti_sync_track_refs')
        .select('track_id')
        .distinct()
        .where('track_id', 'in', part)
        .execute();
      for (const r of rows) referenced.add(r.track_id);
    }
    return unique.filter((id) => !referenced.has(id));
  }

  async putAvailability(records: readonly AvailabilityRecord[]): Promise<void> {
    const unique = new Map(records.map((r) => [`${r.userId}\u0000${r.trackId}`, r]));
    for (const part of chunks([...unique.values()])) {
      await this.db
        .insertInto('spoti_sync_availability')
        .values(
          part.map((r) => ({
            user_id: r.userId,
            track_id: r.trackId,
            status: r.status,
            reason: r.reason,
            market: r.market,
            noticed_at: r.noticedAt,
            checked_at: r.checkedAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['user_id', 'track_id']).doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            reason: eb.ref('excluded.reason'),
            market: eb.ref('excluded.market'),
            noticed_at: eb.ref('excluded.noticed_at'),
            checked_at: eb.ref('excluded.checked_at'),
          })),
        )
        .execute();
    }
  }

  async listAvailability(userId: string): Promise<AvailabilityRecord[]> {
    const rows = await this.db
      .selectFrom('spoti_sync_availability')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy(sql`track_id collate "C"`)
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      trackId: r.track_id,
      status: r.status as AvailabilityStatus,
      reason: r.reason,
      market: r.market,
      noticedAt: num(r.noticed_at),
      checkedAt: num(r.checked_at),
    }));
  }

  async appendRun(run: SyncRun): Promise<void> {
    await this.db
      .insertInto('spoti_sync_runs')
      .values({ id: run.id, user_id: run.userId, kind: run.kind, data: jsonb(run) })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async listRuns(
    userId: string,
    options: { readonly limit?: number; readonly kind?: SyncRunKind } = {},
  ): Promise<SyncRun[]> {
    let query = this.db
      .selectFrom('spoti_sync_runs')
      .select('data')
      .where('user_id', '=', userId)
      .orderBy('seq', 'desc')
      .limit(options.limit ?? 50);
    if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
    const rows = await query.execute();
    return rows.map((r) => r.data as SyncRun);
  }

  async close(): Promise<void> {
    await this.destroy();
  }
}

/**
 * Options of {@link createPgliteSyncStateStore}: at most one of `dataDir` (not the catalog's:
 * PGlite opens a folder once), `pglite`, `db`, `dialect`. The same options as every spoti store
 * on PGlite.
 */
export type PgliteSyncStateStoreOptions = PgliteStoreOptions;

/**
 * Opens the sync state on PGlite (embedded PostgreSQL), migrated to the latest schema, through
 * the set-up shared with the catalog (`openSqlDatabase` of `@spoti/catalog/sql`).
 *
 * @example
 * ```ts
 * const state = await createPgliteSyncStateStore({ dataDir: './data/sync-state' });
 * ```
 */
export async function createPgliteSyncStateStore(
  options: PgliteSyncStateStoreOptions = {},
): Promise<SyncStateStore> {
  return openStateStore({ ...options, backend: 'pglite' });
}

/**
 * Options of {@link createPostgresSyncStateStore}: exactly one of `connectionString` (typically
 * the catalog's `DATABASE_URL`), `db`, `dialect`. The same options as every spoti store on
 * PostgreSQL.
 */
export type PostgresSyncStateStoreOptions = PostgresStoreOptions;

/**
 * Opens the sync state on a PostgreSQL server (the catalog's database works: the tables are
 * prefixed `spoti_sync_` and migrated on their own), through the set-up shared with the catalog.
 *
 * @example
 * ```ts
 * const state = await createPostgresSyncStateStore({ connectionString: process.env.DATABASE_URL ?? '' });
 * ```
 */
export async function createPostgresSyncStateStore(
  options: PostgresSyncStateStoreOptions,
): Promise<SyncStateStore> {
  if (
    options.connectionString === undefined &&
    options.db === undefined &&
    options.dialect === undefined
  ) {
    throw new SyncError({
      code: 'INVALID_OPTIONS',
      message: 'Sync state store: connectionString (or db, or dialect) is required',
    });
  }
  return openStateStore({ ...options, backend: 'postgres' });
}

/**
 * Wraps an existing Kysely instance (PostgreSQL dialect or PGlite) as a sync-state store, after
 * migrating it. Use it to keep the sync tables in a database your application already opened;
 * `close()` leaves that instance open.
 *
 * @example
 * ```ts
 * const state = await createSqlSyncStateStore({ db: myKysely, backend: 'postgres' });
 * ```
 */
export async function createSqlSyncStateStore(options: {
  readonly db: Kysely<unknown>;
  readonly backend: 'pglite' | 'postgres';
}): Promise<SyncStateStore> {
  return openStateStore({ db: options.db, backend: options.backend });
}
