import { randomUUID } from 'node:crypto';
import { mulberry32 } from '@spoti/internal';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Play, createPostgresStore } from '../src/index.js';
import { PARALLEL_FOLD_MIN_PLAYS } from '../src/internal/sql-plays.js';
import { DAY, T0 } from './fixtures.js';

// A large deferred backlog on PostgreSQL is folded in parallel transactions, one per share of
// the primary artists: the aggregates must equal a rebuild from the play log all the same.
const admin = process.env.CATALOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `catalog_fold_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const url = Object.assign(new URL(admin), { pathname: `/${run}` }).toString();
const client = new pg.Client({ connectionString: url });

async function onAdmin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await onAdmin(`create database "${run}"`);
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await onAdmin(`drop database if exists "${run}" with (force)`);
});

/** Seeded plays: some without a track id, album or artist, some repeated within a second. */
function plays(n: number, seed: number): Play[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const t = Math.floor(400 * rnd() ** 2);
    const shape = rnd();
    return {
      userId: `u${Math.floor(rnd() * 12)}`,
      trackId: shape < 0.05 ? null : `t${t}`,
      trackName: `Track ${t}`,
      artistIds: shape > 0.97 ? [] : [`a${t % 37}`, `a${t % 5}`],
      artistName: 'someone',
      albumId: shape > 0.93 ? null : `al${t % 90}`,
      albumName: null,
      endedAt: T0 - Math.floor(rnd() * 40 * 86_400) * 1000,
      msPlayed: 180_000,
      skipped: false,
      reasonStart: 'trackdone',
      reasonEnd: 'trackdone',
      shuffle: false,
      offline: false,
      offlineTimestamp: null,
      platform: 'linux',
      source: 'export',
    };
  });
}

/** Every aggregate row of `schema`, in key order (decay rounded for the comparison). */
async function snapshot(schema: string): Promise<Record<string, unknown[]>> {
  const q = async (text: string) => (await client.query(text)).rows;
  return {
    userTrack: await q(`select user_id, track_id, play_count, last_played_at::text
      from "${schema}".catalog_user_track_stats order by 1, 2`),
    items: await q(`select kind, id, plays, likes, trending_plays,
        round((trending_decay / nullif(max(trending_decay) over (), 0))::numeric, 9)::text as decay
      from "${schema}".catalog_item_stats order by 1, 2`),
    daily: await q(`select day, track_id, album_id, artist_id, plays, round(decay::numeric, 6)::text
      from "${schema}".catalog_trending_daily order by 1, 2, 3, 4`),
  };
}

/** A store on a fresh schema of the test database. */
async function freshStore() {
  const schema = `s_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  return {
    schema,
    store: await createPostgresStore({ connectionString: url, schema, maxConnections: 4 }),
  };
}

describe('PostgreSQL folds of deferred plays', () => {
  it('folds a large backlog in parallel parts, beside a second fold, into exactly the rebuilt aggregates', async () => {
    const { schema, store } = await freshStore();
    try {
      const all = plays(PARALLEL_FOLD_MIN_PLAYS + 8000, 11);
      // Aggregate rows that exist before the fold, so that it updates as well as inserts.
      const polled = await store.appendPlays(all.slice(0, 3000));
      const { inserted } = await store.appendPlays(all.slice(3000), { deferAggregates: true });
      expect(inserted).toBeGreaterThan(PARALLEL_FOLD_MIN_PLAYS);
      const [a, b] = await Promise.all([
        store.foldDeferredAggregates?.(),
        store.foldDeferredAggregates?.(),
      ]);
      expect((a?.folded ?? 0) + (b?.folded ?? 0)).toBe(inserted);
      // The import sends its last batch again: nothing new, nothing to fold.
      const retried = await store.appendPlays(all.slice(-5000), { deferAggregates: true });
      expect(retried.inserted).toBe(0);
      expect(await store.foldDeferredAggregates?.()).toEqual({ folded: 0 });
      const folded = await snapshot(schema);
      expect(await store.rebuildAggregates?.()).toEqual({ plays: polled.inserted + inserted });
      expect(await snapshot(schema)).toEqual(folded);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('folds earlier batches beside later deferred writes, retried batches included, exactly', async () => {
    const { schema, store } = await freshStore();
    try {
      const all = plays(30_000, 14);
      const polled = await store.appendPlays(all.slice(0, 2000));
      let deferred = 0;
      for (let i = 2000; i < all.length; i += 5000) {
        const batch = all.slice(i, i + 5000);
        deferred += (await store.appendPlays(batch, { deferAggregates: true })).inserted;
        // The same batch again, as a retry whose answer was lost: nothing new.
        expect((await store.appendPlays(batch, { deferAggregates: true })).inserted).toBe(0);
      }
      // Earlier batches were folded beside later writes: the last fold finds fewer plays.
      const last = (await store.foldDeferredAggregates?.())?.folded ?? 0;
      expect(last).toBeGreaterThan(0);
      expect(last).toBeLessThan(deferred);
      expect(await store.foldDeferredAggregates?.()).toEqual({ folded: 0 });
      const folded = await snapshot(schema);
      expect(await store.rebuildAggregates?.()).toEqual({ plays: polled.inserted + deferred });
      expect(await snapshot(schema)).toEqual(folded);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('leaves a small backlog to one transaction and still counts the plays of a later day', async () => {
    const { schema, store } = await freshStore();
    try {
      const some = plays(500, 12);
      const later = plays(500, 13).map((p) => ({ ...p, endedAt: p.endedAt + 50 * DAY }));
      const first = await store.appendPlays(some, { deferAggregates: true });
      const second = await store.appendPlays(later, { deferAggregates: true });
      expect(await store.foldDeferredAggregates?.()).toEqual({
        folded: first.inserted + second.inserted,
      });
      const folded = await snapshot(schema);
      await store.rebuildAggregates?.();
      expect(await snapshot(schema)).toEqual(folded);
    } finally {
      await store.close();
    }
  }, 60_000);
});
