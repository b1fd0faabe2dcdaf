import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore, createPgliteStore } from '../src/index.js';
import { documentTerms } from '../src/logic/search.js';
import { migrateCatalog } from '../src/sql/catalog-migrations.js';
import { PgliteDialect } from '../src/sql/index.js';
import { DAY, HOUR, T0, albums, artists, byId, play, tracks } from './fixtures.js';
import { storeDeferredSuite } from './store-deferred-suite.js';
import { storeStatsSuite } from './store-stats-suite.js';
import { storeSuite } from './store-suite.js';

// One PGlite instance for the whole file (starting one costs seconds); every test gets an empty,
// freshly migrated schema on it.
const pglite = new PGlite();
afterAll(async () => {
  await pglite.close();
});

async function freshSchema(): Promise<void> {
  await pglite.exec('drop schema public cascade; create schema public;');
}

storeSuite('pglite', async () => {
  await freshSchema();
  return createPgliteStore({ pglite });
});
storeStatsSuite('pglite', async () => {
  await freshSchema();
  return createPgliteStore({ pglite });
});
storeDeferredSuite('pglite', async () => {
  await freshSchema();
  return createPgliteStore({ pglite });
});

interface AggregateRow {
  kind?: string;
  day?: number;
  id?: string;
  plays: number;
  decay: number;
}

/** Every aggregate derived from the play log, in a stable order. */
async function counters(): Promise<{ userTrack: unknown[]; items: unknown[] }> {
  const userTrack = await pglite.query(
    'select user_id, track_id, play_count, last_played_at::text from catalog_user_track_stats order by 1, 2',
  );
  const items = await pglite.query(
    'select kind, id, plays, likes from catalog_item_stats where plays <> 0 or likes <> 0 order by 1, 2',
  );
  return { userTrack: userTrack.rows, items: items.rows };
}

async function aggregates(): Promise<{ daily: AggregateRow[]; totals: AggregateRow[] }> {
  const daily = await pglite.query<AggregateRow>(
    'select day, track_id, album_id, artist_id, plays, decay from catalog_trending_daily order by 1, 2, 3, 4',
  );
  const totals = await pglite.query<AggregateRow>(
    'select kind, id, plays, decay from catalog_trending_totals order by kind, id',
  );
  return { daily: daily.rows, totals: totals.rows };
}

function expectSameAggregates(
  a: Awaited<ReturnType<typeof aggregates>>,
  b: Awaited<ReturnType<typeof aggregates>>,
): void {
  const strip = (rows: AggregateRow[]) => rows.map(({ decay: _d, ...rest }) => rest);
  expect(strip(a.daily)).toEqual(strip(b.daily));
  expect(strip(a.totals)).toEqual(strip(b.totals));
  a.daily.forEach((r, i) => {
    expect(r.decay).toBeCloseTo(b.daily[i]!.decay, 9);
  });
  a.totals.forEach((r, i) => {
    expect(r.decay / b.totals[i]!.decay).toBeCloseTo(1, 12);
  });
}

describe('SQL store internals (PGlite)', () => {
  it('keeps the trending aggregates equal to a rebuild from the play log', async () => {
    await freshSchema();
    const store = await createPgliteStore({ pglite });
    for (let batch = 0; batch < 3; batch++) {
      await store.appendPlays(
        ['t01', 't04', 't06', 't09'].flatMap((id, i) =>
          [0, 1, 2].map((k) =>
            play(`u${k}`, byId(id), T0 - (batch * 5 + i) * DAY - k * 7 * HOUR - batch * 1000),
          ),
        ),
      );
    }
    await store.appendPlays([{ ...play('u1', byId('t02'), T0), trackId: null }]);
    const incremental = await aggregates();
    expect(incremental.totals.find((r) => r.kind === 'track' && r.id === 't01')?.plays).toBe(9);
    expect(incremental.totals.some((r) => r.id === 't02')).toBe(false);
    expect(await store.rebuildAggregates?.()).toEqual({ plays: 37 });
    expectSameAggregates(incremental, await aggregates());
    await store.close();
  });

  it('keeps counters and trending aggregates equal to a recomputation after any batching (property)', async () => {
    const ids = ['t01', 't02', 't04', 't06', 't09', 't10'];
    const playArb = fc.record({
      user: fc.integer({ min: 1, max: 3 }),
      track: fc.integer({ min: 0, max: ids.length - 1 }),
      // whole seconds, so duplicates (same listener, track and second) come up often
      at: fc.integer({ min: 0, max: 60 * 24 * 3600 }),
      nameOnly: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(playArb, { minLength: 1, maxLength: 120 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        async (raw, sizes) => {
          await freshSchema();
          const store = await createPgliteStore({ pglite });
          const plays = raw.map((r) => {
            const p = play(`u${r.user}`, byId(ids[r.track]!), T0 - r.at * 1000);
            return r.nameOnly ? { ...p, trackId: null } : p;
          });
          let inserted = 0;
          for (let i = 0, k = 0; i < plays.length; k++) {
            const size = sizes[k % sizes.length]!;
            inserted += (await store.appendPlays(plays.slice(i, i + size))).inserted;
            i += size;
          }
          const incremental = { counters: await counters(), aggregates: await aggregates() };
          expect(await store.rebuildAggregates?.()).toEqual({ plays: inserted });
          expect(await counters()).toEqual(incremental.counters);
          expectSameAggregates(incremental.aggregates, await aggregates());
          await store.close();
        },
      ),
      { numRuns: 12, seed: 1312 },
    );
  }, 180_000); // twelve fresh schemas: slow on a loaded machine

  it('folds deferred batches, mixed with polls and folds at any point, into exact aggregates (property)', async () => {
    const ids = ['t01', 't02', 't04', 't06', 't09', 't10'];
    const stepArb = fc.record({
      plays: fc.array(
        fc.record({
          user: fc.integer({ min: 1, max: 3 }),
          track: fc.integer({ min: 0, max: ids.length - 1 }),
          at: fc.integer({ min: 0, max: 60 * 24 * 3600 }),
        }),
        { maxLength: 30 },
      ),
      defer: fc.boolean(),
      fold: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
        await freshSchema();
        const store = await createPgliteStore({ pglite });
        let inserted = 0;
        for (const step of steps) {
          const plays = step.plays.map((r) =>
            play(`u${r.user}`, byId(ids[r.track]!), T0 - r.at * 1000),
          );
          // Each batch twice: the second time as a retry whose first answer was lost.
          for (let i = 0; i < 2; i++)
            inserted += (await store.appendPlays(plays, { deferAggregates: step.defer })).inserted;
          if (step.fold) await store.foldDeferredAggregates?.();
        }
        await store.foldDeferredAggregates?.();
        const folded = { counters: await counters(), aggregates: await aggregates() };
        expect(await store.rebuildAggregates?.()).toEqual({ plays: inserted });
        expect(await counters()).toEqual(folded.counters);
        expectSameAggregates(folded.aggregates, await aggregates());
        await store.close();
      }),
      { numRuns: 10, seed: 2026 },
    );
  }, 180_000);

  it('moves the reference instant forward for plays far in the future, keeping scores', async () => {
    await freshSchema();
    const store = await createPgliteStore({ pglite });
    await store.appendPlays([play('u1', byId('t01'), T0 - 2 * DAY)]);
    const later = T0 + 20 * 365 * DAY; // more than 900 half-lives after the initial reference
    await store.appendPlays([
      play('u1', byId('t04'), later - 3 * DAY),
      play('u2', byId('t04'), later - 3 * DAY),
    ]);
    const meta = await pglite.query<{ ref_ms: string }>('select ref_ms from catalog_trending_meta');
    expect(Number(meta.rows[0]?.ref_ms)).toBe(Math.floor((later - 3 * DAY) / DAY) * DAY);
    const now = later + DAY;
    expect(await store.trending({ window: 'all', now })).toEqual(
      [
        { kind: 'track', id: 't04', score: 1.6, plays: 2, likes: 0 }, // 2 · 2^(−4/7) = 1.3459…
        { kind: 'track', id: 't01', score: 0, plays: 1, likes: 0 },
      ].map((e) =>
        e.id === 't04' ? { ...e, score: Math.round(2 * 2 ** (-4 / 7) * 1e6) / 1e6 } : e,
      ),
    );
    const before = await aggregates();
    await store.rebuildAggregates?.();
    expectSameAggregates(before, await aggregates());
    await store.close();
  });

  it('migration 0002 re-keys stored offline plays and supersedes re-synced copies', async () => {
    await freshSchema();
    const db = new Kysely<unknown>({ dialect: new PgliteDialect(pglite, false) });
    await migrateCatalog(db, { target: '0001-initial' });
    const recordedAt = T0 - 10 * HOUR + 400;
    const rows = [
      // the same offline play, synced twice (different ts)
      { key: 'u1|t:t01|s:100', track: 't01', ended: T0 - 5 * HOUR, offline: true, ts: recordedAt },
      { key: 'u1|t:t01|s:200', track: 't01', ended: T0 - 2 * HOUR, offline: true, ts: recordedAt },
      // another offline play, an online play, an offline flag without a timestamp
      {
        key: 'u1|t:t01|s:300',
        track: 't01',
        ended: T0 - HOUR,
        offline: true,
        ts: recordedAt + 9000,
      },
      { key: 'u1|t:t04|s:400', track: 't04', ended: T0 - HOUR, offline: false, ts: null },
      { key: 'u2|t:t04|s:500', track: 't04', ended: T0 - HOUR, offline: true, ts: null },
    ];
    for (const r of rows) {
      await pglite.query(
        `insert into catalog_plays (play_key, user_id, track_id, track_name, artist_ids, primary_artist_id,
          artist_name, album_id, album_name, ended_at, ms_played, skipped, reason_start, reason_end,
          shuffle, offline, offline_timestamp, platform, source)
         values ($1, $2, $3, 'n', '["a1"]', 'a1', 'x', 'al1', null, $4, 1000, null, null, null,
          null, $5, $6, null, 'export')`,
        [r.key, r.key.split('|')[0], r.track, r.ended, r.offline, r.ts],
      );
    }
    // counters as the old code left them (the duplicate counted)
    await pglite.query(
      "insert into catalog_user_track_stats values ('u1', 't01', 3, $1), ('u1', 't04', 1, $1), ('u2', 't04', 1, $1)",
      [T0 - HOUR],
    );
    await pglite.query(
      "insert into catalog_item_stats values ('track', 't01', 3, 0), ('track', 't04', 2, 0)",
    );
    // a search document written before word pairs were indexed
    await pglite.exec(`insert into catalog_search_docs values
      ('artist', 'a9', 'AC/DC', 'ac dc', '["rock"]', '["a9"]', null, null, 0);
      insert into catalog_search_postings values ('ac', 'artist', 'a9'), ('dc', 'artist', 'a9');
      insert into catalog_search_terms values ('ac', 2), ('dc', 2);`);
    await db.destroy();

    const store = await createPgliteStore({ pglite }); // runs 0002
    expect((await store.search({ text: 'acdc' })).hits.map((h) => h.id)).toEqual(['a9']);
    const keys = await pglite.query<{ play_key: string }>(
      'select play_key from catalog_plays order by seq',
    );
    const sec = Math.floor(recordedAt / 1000);
    expect(keys.rows.map((r) => r.play_key)).toEqual([
      `u1|t:t01|o:${sec}`,
      `u1|t:t01|o:${sec + 9}`,
      'u1|t:t04|s:400',
      'u2|t:t04|s:500',
    ]);
    const superseded = await pglite.query<{ play_key: string; superseded_by: string }>(
      'select play_key, superseded_by from catalog_plays_superseded',
    );
    expect(superseded.rows).toEqual([
      { play_key: 'u1|t:t01|s:200', superseded_by: `u1|t:t01|o:${sec}` },
    ]);
    expect(await store.getAnnotation('u1', 't01')).toMatchObject({ playCount: 2 });
    expect(await store.trending({ window: 'week', now: T0 })).toMatchObject([
      { id: 't04', plays: 2 },
      { id: 't01', plays: 2 },
    ]);
    expect(await store.trending({ window: 'all', now: T0 })).toMatchObject([
      { id: 't04', plays: 2 },
      { id: 't01', plays: 2 },
    ]);
    // The re-synced copy arriving again is now recognised as a duplicate.
    const again = play('u1', byId('t01'), T0 - 30 * 60_000, {
      offline: true,
      offlineTimestamp: recordedAt,
    });
    expect(await store.appendPlays([again])).toEqual({ inserted: 0, duplicates: 1 });
    await store.close();
  });

  it('migration 0005 moves the all-time totals into the item counters as they are, and back', async () => {
    await freshSchema();
    const db = new Kysely<unknown>({ dialect: new PgliteDialect(pglite, false) });
    await migrateCatalog(db, { target: '0004-deferred-play-aggregates' });
    await pglite.exec(`insert into catalog_item_stats values
        ('album', 'al1', 2, 0), ('artist', 'a9', 0, 4), ('track', 't01', 3, 1);
      insert into catalog_trending_totals values
        ('album', 'al1', 2, 0.75), ('artist', 'a1', 1, 0.1), ('track', 't01', 3, 1.5);`);
    const totals = 'select kind, id, plays, decay from catalog_trending_totals order by kind, id';
    const before = (await pglite.query(totals)).rows;
    await migrateCatalog(db);
    expect((await pglite.query(totals)).rows).toEqual(before);
    const items = await pglite.query(
      'select kind, id, plays, likes, trending_plays, trending_decay from catalog_item_stats order by kind, id',
    );
    expect(items.rows).toEqual([
      { kind: 'album', id: 'al1', plays: 2, likes: 0, trending_plays: 2, trending_decay: 0.75 },
      { kind: 'artist', id: 'a1', plays: 0, likes: 0, trending_plays: 1, trending_decay: 0.1 },
      { kind: 'artist', id: 'a9', plays: 0, likes: 4, trending_plays: 0, trending_decay: 0 },
      { kind: 'track', id: 't01', plays: 3, likes: 1, trending_plays: 3, trending_decay: 1.5 },
    ]);
    await migrateCatalog(db, { target: '0004-deferred-play-aggregates' });
    expect((await pglite.query(totals)).rows).toEqual(before);
    await db.destroy();
  });

  it('leaves unchanged tracks and their search rows as they are, and rewrites only what changed', async () => {
    await freshSchema();
    const store = await createPgliteStore({ pglite });
    await store.upsertArtists(artists);
    await store.upsertAlbums(albums);
    await store.upsertTracks(tracks);
    const versions = async () =>
      (
        await pglite.query<{ v: string }>(`select kind || ':' || id || ':' || xmin::text as v
          from catalog_search_docs union all select 'track:' || id || ':' || xmin::text from catalog_tracks
          order by 1`)
      ).rows.map((r) => r.v);
    const postings = async (id: string) =>
      (
        await pglite.query<{ term: string }>(
          "select term from catalog_search_postings where kind = 'track' and id = $1 order by term",
          [id],
        )
      ).rows.map((r) => r.term);
    const before = await versions();
    await store.upsertTracks(tracks);
    expect(await versions()).toEqual(before);
    const renamed = { ...byId('t01'), name: 'Reformed Anthem' };
    await store.upsertTracks([renamed, ...tracks.filter((t) => t.id !== 't01')]);
    const after = await versions();
    expect(after.filter((v) => !v.includes(':t01:'))).toEqual(
      before.filter((v) => !v.includes(':t01:')),
    );
    const memory = createMemoryStore();
    await memory.upsertArtists(artists);
    await memory.upsertAlbums(albums);
    await memory.upsertTracks([renamed]);
    const text = (
      await pglite.query<{ search_text: string }>(
        "select search_text from catalog_search_docs where kind = 'track' and id = 't01'",
      )
    ).rows[0]!.search_text;
    expect(await postings('t01')).toEqual([...documentTerms(text)].sort());
    expect((await store.search({ text: 'anthem' })).hits.map((h) => h.id)).toEqual(
      (await memory.search({ text: 'anthem' })).hits.map((h) => h.id),
    );
    await memory.close();
    await store.close();
  });
});
