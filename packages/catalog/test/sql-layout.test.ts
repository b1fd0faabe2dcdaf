import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { type Kysely, type Migration, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogStore, isCatalogError } from '../src/index.js';
import { LEGACY_TABLES } from '../src/sql/legacy-layout.js';
import {
  PgliteDialect,
  type SqlDatabase,
  createPgliteStore,
  createPostgresStore,
  openSqlDatabase,
} from '../src/sql/index.js';
import { DAY, HOUR, T0, albums, artists, byId, play, tracks, user } from './fixtures.js';
import * as legacyInitial from './legacy/0001-initial.js';
import * as legacyOffline from './legacy/0002-offline-keys-and-trending-aggregates.js';

const admin = process.env.CATALOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `catalog_layout_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const url = Object.assign(new URL(admin), { pathname: `/${run}` }).toString();
let n = 0;

async function onAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
beforeAll(() => onAdmin(`create database "${run}"`));
afterAll(() => onAdmin(`drop database if exists "${run}" with (force)`));

const backends = {
  pglite: {
    open: () => openSqlDatabase({}),
    store: (db: Kysely<unknown>) => createPgliteStore({ db }),
  },
  postgres: {
    open: () => openSqlDatabase({ connectionString: url, schema: `s${n++}`, maxConnections: 2 }),
    store: (db: Kysely<unknown>) => createPostgresStore({ db }),
  },
} as const;

/** An application's own migrations, kept by Kysely's default migration table. */
const appMigrations: Record<string, Migration> = {
  '0001-initial': {
    up: async (db) => {
      await sql`create table users (id text primary key, email text not null)`.execute(db);
      await sql`create table plays (id serial primary key, note text)`.execute(db);
    },
  },
  '0002-sessions': {
    up: async (db) => {
      await sql`create table sessions (id text primary key)`.execute(db);
    },
  },
};

/** Kysely's migrator, in the database's schema (it looks in every schema otherwise). */
function migrator(database: SqlDatabase, migrations: Record<string, Migration>): Migrator {
  return new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: database.schema ?? 'public',
  });
}

async function migrateApp(database: SqlDatabase, upTo: string): Promise<void> {
  const picked = Object.fromEntries(Object.entries(appMigrations).filter(([k]) => k <= upTo));
  const { error } = await migrator(database, picked).migrateToLatest();
  if (error !== undefined) throw error;
}

async function fill(store: CatalogStore): Promise<void> {
  await store.upsertArtists(artists);
  await store.upsertAlbums(albums);
  await store.upsertTracks(tracks);
  await store.upsertUsers([user('u1'), user('u2')]);
  await store.appendPlays(
    ['t01', 't04', 't06', 't09'].flatMap((id, i) =>
      [0, 1].map((k) => play(`u${k + 1}`, byId(id), T0 - i * DAY - k * 5 * HOUR)),
    ),
  );
  await store.like({ userId: 'u1', trackId: 't04', likedAt: T0 - HOUR });
  await store.follow({ userId: 'u1', artistId: 'a2', followedAt: T0 - HOUR });
  await store.upsertPlaylists([
    {
      id: 'p1',
      ownerUserId: 'u1',
      name: 'Mix',
      description: '',
      public: true,
      collaborative: false,
      snapshotId: null,
      items: [{ trackId: 't01', addedAt: T0 - DAY, addedBy: 'u1' }],
      updatedAt: T0 - DAY,
    },
  ]);
}

async function dump(db: Kysely<unknown>, prefix: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of LEGACY_TABLES) {
    const rows = await sql<{
      j: unknown;
    }>`select to_jsonb(t) as j from ${sql.table(`${prefix}${table}`)} t
      order by to_jsonb(t)::text`.execute(db);
    out[table] = rows.rows.map((r) => r.j);
  }
  return out;
}

async function readBack(store: CatalogStore) {
  return {
    plays: await store.listPlays({ userId: 'u1' }),
    annotation: await store.getAnnotation('u1', 't04'),
    trending: await store.trending({ window: 'month', now: T0 }),
    search: (await store.search({ text: 'bohemian' })).hits.map((h) => h.id),
    playlist: await store.getPlaylist('p1'),
    follows: await store.listFollows('u1'),
  };
}

// Each test opens two databases and fills them through the store: slow on a loaded machine.
describe.each(Object.keys(backends) as (keyof typeof backends)[])(
  'SQL layout (%s)',
  { timeout: 180_000 },
  (name) => {
    const backend = backends[name];

    it('shares a schema with an application that keeps its own Kysely migrations', async () => {
      const database: SqlDatabase = await backend.open();
      try {
        await migrateApp(database, '0001-initial'); // the app first: its own users and plays
        const store = await backend.store(database.db);
        await fill(store);
        await migrateApp(database, '0002-sessions'); // then a later app migration
        await store.close(); // leaves the shared instance open
        const again = await backend.store(database.db);
        expect(await again.countPlays()).toBe(8);
        const appRows = await sql<{
          name: string;
        }>`select name from kysely_migration order by name`.execute(database.db);
        expect(appRows.rows.map((r) => r.name)).toEqual(['0001-initial', '0002-sessions']);
        const ours = await sql<{
          name: string;
        }>`select name from catalog_migrations order by name`.execute(database.db);
        expect(ours.rows.map((r) => r.name)).toEqual([
          '0001-initial',
          '0002-offline-keys-and-trending-aggregates',
          '0003-search-and-visibility-indexes',
          '0004-deferred-play-aggregates',
          '0005-item-trending-totals',
        ]);
        await sql`insert into users (id, email) values ('x', 'x@example.invalid')`.execute(
          database.db,
        );
        expect((await again.getUser('u1'))?.id).toBe('u1');
      } finally {
        await database.close();
      }
    });

    it('upgrades a database of the unprefixed layout without losing a row', async () => {
      // Reference: the same data written by this version into a fresh database.
      const reference = await backend.open();
      const expected = await (async () => {
        try {
          const store = await backend.store(reference.db);
          await fill(store);
          return { rows: await dump(reference.db, 'catalog_'), read: await readBack(store) };
        } finally {
          await reference.close();
        }
      })();

      // An old database: the previous migrations in Kysely's default table, the same rows in the
      // unprefixed tables, and an application migration recorded beside them.
      const database = await backend.open();
      try {
        const old = migrator(database, {
          '0001-initial': legacyInitial,
          '0002-offline-keys-and-trending-aggregates': legacyOffline,
        });
        expect((await old.migrateToLatest()).error).toBeUndefined();
        for (const table of LEGACY_TABLES) {
          await sql`delete from ${sql.table(table)}`.execute(database.db);
          const rows = expected.rows[table] ?? [];
          if (rows.length === 0) continue;
          await sql`insert into ${sql.table(table)}
          select * from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(
            database.db,
          );
        }
        await sql`select setval('plays_seq_seq', (select max(seq) from plays))`.execute(
          database.db,
        );
        await sql`insert into kysely_migration (name, timestamp) values ('app-0001', '2026-01-01')`.execute(
          database.db,
        );

        const store = await backend.store(database.db);
        expect(await dump(database.db, 'catalog_')).toEqual(expected.rows);
        expect(await readBack(store)).toEqual(expected.read);
        for (const table of LEGACY_TABLES) {
          const left = await sql<{
            t: string | null;
          }>`select to_regclass(${table})::text as t`.execute(database.db);
          expect(left.rows[0]?.t ?? null).toBeNull();
        }
        const app = await sql<{ name: string }>`select name from kysely_migration`.execute(
          database.db,
        );
        expect(app.rows.map((r) => r.name)).toEqual(['app-0001']);
        // The log keeps growing after the upgrade (the renamed sequence still numbers plays).
        expect(await store.appendPlays([play('u2', byId('t10'), T0 - 2 * HOUR)])).toEqual({
          inserted: 1,
          duplicates: 0,
        });
        await store.close();
        // Opening again is a no-op.
        const reopened = await backend.store(database.db);
        expect(await reopened.countPlays()).toBe(9);
      } finally {
        await database.close();
      }
    });
  },
);

describe('store factories', () => {
  it('open a store on a dialect, and on PostgreSQL through your own pool', async () => {
    const pglite = new PGlite();
    try {
      const store = await createPgliteStore({ dialect: new PgliteDialect(pglite, false) });
      expect(store.backend).toBe('pglite');
      await store.upsertUsers([user('u1')]);
      await store.close(); // destroys its Kysely instance; the dialect leaves pglite open
      const again = await createPgliteStore({ pglite });
      expect((await again.getUser('u1'))?.id).toBe('u1');
      await again.close();
    } finally {
      await pglite.close();
    }
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const store = await createPostgresStore({ dialect: new PostgresDialect({ pool }) });
    expect(store.backend).toBe('postgres');
    expect(await store.countPlays()).toBe(0);
    await store.close(); // ends the pool with its Kysely instance
  });

  it('name a wrong option with INVALID_INPUT', async () => {
    const refused = async (run: () => Promise<unknown>, text: string) => {
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(isCatalogError(error) && error.code).toBe('INVALID_INPUT');
      expect((error as Error).message).toContain(text);
    };
    await refused(() => createPostgresStore({}), 'connectionString');
    await refused(
      () => createPostgresStore({ connectionString: url, schema: 'x"; drop' }),
      'schema',
    );
    await refused(
      () => createPostgresStore({ connectionString: url, maxConnections: 0 }),
      'maxConnections',
    );
    const open = new PGlite();
    await refused(() => createPgliteStore({ dataDir: './x', pglite: open }), 'dataDir');
    await open.close();
    await refused(() => openSqlDatabase({ schema: 'spoti' }), 'schema');
  });
});
