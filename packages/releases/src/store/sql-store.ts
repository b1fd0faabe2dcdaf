import { isCatalogError } from '@spoti/catalog';
import {
  type PgliteStoreOptions,
  type PostgresStoreOptions,
  type SqlTarget,
  openMigratedDatabase,
} from '@spoti/catalog/sql';
import { type Kysely, type Migration, type Transaction, sql } from 'kysely';
import type { ArtistCursor, Digest, Release, Subscriber, SweepReport } from '../domain/types.js';
import { ReleasesError } from '../errors/releases-error.js';
import * as initial from '../migrations/0001-initial.js';
import * as subscriptions from '../migrations/0002-subscriptions.js';
import type { ReleaseStore, ScanCommit } from './release-store.js';

// biome-ignore lint/suspicious/noExplicitAny: the tables are addressed with raw SQL.
type Db = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: see Db.
type Executor = Db | Transaction<any>;

const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-subscriptions': subscriptions,
};

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
/** jsonb arrives parsed from pg and PGlite; strings are parsed for safety. */
function parsed<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    if (cause instanceof ReleasesError) throw cause;
    throw new ReleasesError({
      code: 'STORE_FAILURE',
      message: `Release store: ${what} failed`,
      cause,
    });
  }
}

const ACTIVE_WATCHED = sql`
  exists (
    select 1 from releases_subscriber_artists sa
    join releases_subscribers s on s.id = sa.user_id
    where sa.artist_id = c.artist_id and s.unsubscribed_at is null
  )`;

class SqlReleaseStore implements ReleaseStore {
  constructor(
    readonly backend: 'pglite' | 'postgres',
    readonly db: Db,
    private readonly release: () => Promise<void>,
  ) {}

  async putSubscriber(subscriber: Subscriber): Promise<void> {
    await guard('putSubscriber', () =>
      sql`insert into releases_subscribers (id, unsubscribed_at, confirmed_at, email, data)
          values (${subscriber.id}, ${subscriber.unsubscribedAt}, ${subscriber.confirmedAt ?? null},
            ${subscriber.email}, ${json(subscriber)})
          on conflict (id) do update set unsubscribed_at = excluded.unsubscribed_at,
            confirmed_at = excluded.confirmed_at, email = excluded.email, data = excluded.data`.execute(
        this.db,
      ),
    );
  }
  async getSubscriber(id: string): Promise<Subscriber | null> {
    const { rows } = await guard('getSubscriber', () =>
      sql<{ data: unknown }>`select data from releases_subscribers where id = ${id}`.execute(
        this.db,
      ),
    );
    return rows[0] === undefined ? null : parsed<Subscriber>(rows[0].data);
  }
  async listSubscribers(): Promise<Subscriber[]> {
    const { rows } = await guard('listSubscribers', () =>
      sql<{ data: unknown }>`select data from releases_subscribers order by id collate "C"`.execute(
        this.db,
      ),
    );
    return rows.map((r) => parsed<Subscriber>(r.data));
  }
  async setSubscriberArtists(
    userId: string,
    artistIds: readonly string[],
    now: number,
  ): Promise<void> {
    const ids = [...new Set(artistIds)];
    await guard('setSubscriberArtists', () =>
      this.db.transaction().execute(async (trx) => {
        await sql`delete from releases_subscriber_artists where user_id = ${userId}`.execute(trx);
        for (let i = 0; i < ids.length; i += 1000) {
          const part = ids.slice(i, i + 1000);
          await sql`insert into releases_subscriber_artists (user_id, artist_id)
              select ${userId}, unnest(${part}::text[])`.execute(trx);
          await sql`insert into releases_cursors (artist_id, next_scan_at, failures, data)
              select a, ${now}, 0, jsonb_build_object(
                'artistId', a, 'name', null, 'lastScannedAt', null, 'newestSeen', '{}'::jsonb,
                'nextScanAt', ${now}::bigint, 'failures', 0, 'lastError', null)
              from unnest(${part}::text[]) as a
              on conflict (artist_id) do nothing`.execute(trx);
        }
      }),
    );
  }
  async getSubscriberArtists(userId: string): Promise<string[]> {
    const { rows } = await guard('getSubscriberArtists', () =>
      sql<{ artist_id: string }>`select artist_id from releases_subscriber_artists
          where user_id = ${userId} order by artist_id collate "C"`.execute(this.db),
    );
    return rows.map((r) => r.artist_id);
  }
  async deleteSubscriber(userId: string): Promise<boolean> {
    return guard('deleteSubscriber', () =>
      this.db.transaction().execute(async (trx) => {
        await sql`delete from releases_deliveries where user_id = ${userId}`.execute(trx);
        await sql`delete from releases_digests where user_id = ${userId}`.execute(trx);
        await sql`delete from releases_subscriber_artists where user_id = ${userId}`.execute(trx);
        const result = await sql`delete from releases_subscribers where id = ${userId}`.execute(
          trx,
        );
        return Number(result.numAffectedRows ?? 0) > 0;
      }),
    );
  }
  async countWatchedArtists(): Promise<number> {
    const { rows } = await guard('countWatchedArtists', () =>
      sql<{
        n: string | number;
      }>`select count(*) as n from releases_cursors c where ${ACTIVE_WATCHED}`.execute(this.db),
    );
    return Number(rows[0]?.n ?? 0);
  }
  async listDueArtists(now: number, limit: number): Promise<ArtistCursor[]> {
    const { rows } = await guard('listDueArtists', () =>
      sql<{ data: unknown }>`select data from releases_cursors c
          where c.next_scan_at <= ${now} and ${ACTIVE_WATCHED}
          order by (case when c.failures > 0 then 0 else 1 end), c.next_scan_at, c.artist_id collate "C"
          limit ${Math.max(0, limit)}`.execute(this.db),
    );
    return rows.map((r) => parsed<ArtistCursor>(r.data));
  }
  async countDueArtists(now: number): Promise<number> {
    const { rows } = await guard('countDueArtists', () =>
      sql<{ n: string | number }>`select count(*) as n from releases_cursors c
          where c.next_scan_at <= ${now} and ${ACTIVE_WATCHED}`.execute(this.db),
    );
    return Number(rows[0]?.n ?? 0);
  }
  async getCursor(artistId: string): Promise<ArtistCursor | null> {
    const { rows } = await guard('getCursor', () =>
      sql<{
        data: unknown;
      }>`select data from releases_cursors where artist_id = ${artistId}`.execute(this.db),
    );
    return rows[0] === undefined ? null : parsed<ArtistCursor>(rows[0].data);
  }
  async putCursor(cursor: ArtistCursor): Promise<void> {
    await guard('putCursor', () => this.#putCursor(this.db, cursor));
  }
  async #putCursor(db: Executor, cursor: ArtistCursor): Promise<void> {
    await sql`insert into releases_cursors (artist_id, next_scan_at, failures, data)
        values (${cursor.artistId}, ${cursor.nextScanAt}, ${cursor.failures}, ${json(cursor)})
        on conflict (artist_id) do update set next_scan_at = excluded.next_scan_at,
          failures = excluded.failures, data = excluded.data`.execute(db);
  }
  async getSeenEditions(artistId: string): Promise<Set<string>> {
    const { rows } = await guard('getSeenEditions', () =>
      sql<{
        album_id: string;
      }>`select album_id from releases_seen where artist_id = ${artistId}`.execute(this.db),
    );
    return new Set(rows.map((r) => r.album_id));
  }
  async findReleases(query: {
    readonly foldKeys: readonly string[];
    readonly editionIds: readonly string[];
  }): Promise<Release[]> {
    if (query.foldKeys.length === 0 && query.editionIds.length === 0) return [];
    const { rows } = await guard('findReleases', () =>
      sql<{
        data: unknown;
      }>`select data from releases_releases where fold_key = any(${[...query.foldKeys]}::text[])
          or id in (select release_id from releases_release_editions where album_id = any(${[...query.editionIds]}::text[]))
          order by id collate "C"`.execute(this.db),
    );
    return rows.map((r) => parsed<Release>(r.data));
  }
  async commitScan(commit: ScanCommit): Promise<void> {
    await guard('commitScan', () =>
      this.db.transaction().execute(async (trx) => {
        for (const release of commit.releases) {
          await sql`insert into releases_releases (id, fold_key, discovered_at, data)
              values (${release.id}, ${release.foldKey}, ${release.discoveredAt}, ${json(release)})
              on conflict (id) do update set fold_key = excluded.fold_key, data = excluded.data`.execute(
            trx,
          );
          await sql`insert into releases_release_editions (album_id, release_id)
              select unnest(${[...release.editionIds]}::text[]), ${release.id}
              on conflict (album_id) do nothing`.execute(trx);
          const artists = [...new Set([...release.foundVia, ...release.artists.map((a) => a.id)])];
          await sql`insert into releases_release_artists (release_id, artist_id)
              select ${release.id}, unnest(${artists}::text[])
              on conflict do nothing`.execute(trx);
        }
        for (let i = 0; i < commit.editions.length; i += 500) {
          const part = commit.editions.slice(i, i + 500);
          await sql`insert into releases_seen (artist_id, album_id, release_id)
              select * from unnest(${part.map((e) => e.artistId)}::text[], ${part.map((e) => e.albumId)}::text[],
                ${part.map((e) => e.releaseId)}::text[])
              on conflict do nothing`.execute(trx);
        }
        await this.#putCursor(trx, commit.cursor);
      }),
    );
  }
  async listReleasesForArtists(artistIds: readonly string[]): Promise<Release[]> {
    if (artistIds.length === 0) return [];
    const { rows } = await guard('listReleasesForArtists', () =>
      sql<{ data: unknown }>`select data from releases_releases where id in (
            select release_id from releases_release_artists where artist_id = any(${[...artistIds]}::text[]))
          order by discovered_at, id collate "C"`.execute(this.db),
    );
    return rows.map((r) => parsed<Release>(r.data));
  }
  async getReleases(ids: readonly string[]): Promise<Release[]> {
    if (ids.length === 0) return [];
    const { rows } = await guard('getReleases', () =>
      sql<{
        id: string;
        data: unknown;
      }>`select id, data from releases_releases where id = any(${[...ids]}::text[])`.execute(
        this.db,
      ),
    );
    const byId = new Map(rows.map((r) => [r.id, parsed<Release>(r.data)]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r === undefined ? [] : [r];
    });
  }

  async getOpenDigest(userId: string): Promise<Digest | null> {
    const { rows } = await guard('getOpenDigest', () =>
      sql<{ data: unknown }>`select data from releases_digests where user_id = ${userId}
          and status in ('sending', 'failed') order by created_at, id collate "C" limit 1`.execute(
        this.db,
      ),
    );
    return rows[0] === undefined ? null : parsed<Digest>(rows[0].data);
  }
  async createDigest(digest: Digest): Promise<void> {
    await guard('createDigest', () =>
      this.db.transaction().execute(async (trx) => {
        await sql`insert into releases_digests (id, user_id, status, created_at, data)
            values (${digest.id}, ${digest.userId}, ${digest.status}, ${digest.createdAt}, ${json(digest)})`.execute(
          trx,
        );
        if (digest.releaseIds.length > 0) {
          await sql`insert into releases_deliveries (user_id, release_id, digest_id)
              select ${digest.userId}, unnest(${[...digest.releaseIds]}::text[]), ${digest.id}`.execute(
            trx,
          );
        }
      }),
    );
  }
  async updateDigest(digest: Digest): Promise<void> {
    const result = await guard('updateDigest', () =>
      sql`update releases_digests set status = ${digest.status}, data = ${json(digest)}
          where id = ${digest.id}`.execute(this.db),
    );
    if (Number(result.numAffectedRows ?? 0) === 0)
      throw new ReleasesError({ code: 'NOT_FOUND', message: `No digest ${digest.id}` });
  }
  async listDigests(userId: string): Promise<Digest[]> {
    const { rows } = await guard('listDigests', () =>
      sql<{ data: unknown }>`select data from releases_digests where user_id = ${userId}
          order by created_at, id collate "C"`.execute(this.db),
    );
    return rows.map((r) => parsed<Digest>(r.data));
  }
  async getDeliveredReleaseIds(userId: string): Promise<Set<string>> {
    const { rows } = await guard('getDeliveredReleaseIds', () =>
      sql<{
        release_id: string;
      }>`select release_id from releases_deliveries where user_id = ${userId}`.execute(this.db),
    );
    return new Set(rows.map((r) => r.release_id));
  }

  async saveReport(report: SweepReport): Promise<void> {
    await guard('saveReport', () =>
      sql`insert into releases_reports (id, data) values (${report.id}, ${json(report)})`.execute(
        this.db,
      ),
    );
  }
  async listReports(limit: number): Promise<SweepReport[]> {
    const { rows } = await guard('listReports', () =>
      sql<{
        data: unknown;
      }>`select data from releases_reports order by seq desc limit ${Math.max(0, limit)}`.execute(
        this.db,
      ),
    );
    return rows.map((r) => parsed<SweepReport>(r.data));
  }
  async getMeta(key: string): Promise<unknown> {
    const { rows } = await guard('getMeta', () =>
      sql<{ value: unknown }>`select value from releases_meta where key = ${key}`.execute(this.db),
    );
    return rows[0] === undefined ? null : parsed<unknown>(rows[0].value);
  }
  async setMeta(key: string, value: unknown): Promise<void> {
    await guard('setMeta', () =>
      sql`insert into releases_meta (key, value) values (${key}, ${json(value)})
          on conflict (key) do update set value = excluded.value`.execute(this.db),
    );
  }
  async close(): Promise<void> {
    await this.release();
  }
}

/** The catalog's set-up errors, as this package's. */
function asReleasesError(error: unknown): unknown {
  if (!isCatalogError(error)) return error;
  return new ReleasesError({
    code: error.code === 'INVALID_INPUT' ? 'INVALID_OPTIONS' : 'STORE_FAILURE',
    message: `Release store: ${error.message}`,
    cause: error,
  });
}

/**
 * Opens (or adopts) the database and migrates the `releases_` tables, recorded in their own
 * `releases_migrations` table, through the set-up shared with the catalog
 * (`openMigratedDatabase` of `@spoti/catalog/sql`).
 */
async function openReleaseStore(target: SqlTarget): Promise<ReleaseStore> {
  const opened = await openMigratedDatabase(target, {
    migrations,
    table: 'releases_migrations',
  }).catch((error: unknown) => {
    throw asReleasesError(error);
  });
  return new SqlReleaseStore(opened.backend, opened.db as Db, () => opened.close());
}

/**
 * Options of {@link createPgliteReleaseStore}: at most one of `dataDir`, `pglite`, `db`,
 * `dialect`; with none, an in-memory database. The same options as every spoti store on PGlite.
 *
 * @example
 * ```ts
 * const options: PgliteReleaseStoreOptions = { dataDir: './data/releases' };
 * ```
 */
export type PgliteReleaseStoreOptions = PgliteStoreOptions;

/**
 * A {@link ReleaseStore} on embedded PostgreSQL (PGlite), migrated to the latest schema. The
 * tables are prefixed `releases_`; the same schema and queries run on a PostgreSQL server with
 * {@link createPostgresReleaseStore}.
 *
 * @example
 * ```ts
 * const store = await createPgliteReleaseStore({ dataDir: './data/releases' });
 * const watcher = createReleaseWatcher({ store, client });
 * ```
 */
export async function createPgliteReleaseStore(
  options: PgliteReleaseStoreOptions = {},
): Promise<ReleaseStore> {
  return openReleaseStore({ ...options, backend: 'pglite' });
}

/**
 * Options of {@link createPostgresReleaseStore}: exactly one of `connectionString`, `db`,
 * `dialect`. The same options as every spoti store on PostgreSQL.
 *
 * @example
 * ```ts
 * const options: PostgresReleaseStoreOptions = { connectionString: 'postgres://localhost/app', schema: 'releases' };
 * ```
 */
export type PostgresReleaseStoreOptions = PostgresStoreOptions;

/**
 * A {@link ReleaseStore} on a PostgreSQL server (the tables can live beside the catalog's).
 *
 * @example
 * ```ts
 * const store = await createPostgresReleaseStore({ connectionString: process.env.DATABASE_URL ?? '' });
 * ```
 */
export async function createPostgresReleaseStore(
  options: PostgresReleaseStoreOptions,
): Promise<ReleaseStore> {
  const o = options as PostgresReleaseStoreOptions | undefined;
  if (o?.connectionString === undefined && o?.db === undefined && o?.dialect === undefined) {
    throw new ReleasesError({
      code: 'INVALID_OPTIONS',
      message: 'Invalid store options: connectionString (or db, or dialect) is required',
    });
  }
  return openReleaseStore({ ...o, backend: 'postgres' });
}
