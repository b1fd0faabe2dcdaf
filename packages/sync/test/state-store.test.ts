import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemorySyncStateStore,
  type SyncRun,
  type SyncStateStore,
  createPostgresSyncStateStore,
  isSyncError,
} from '../src/index.js';

// A database of its own: other packages' tests create and drop schemas in theirs, and a schema
// dropped in the same database while a migration lists tables makes that migration fail.
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
const database = `sync_state_${process.pid}_${Date.now().toString(36)}`;
const PG_URL = `postgres://postgres@127.0.0.1:5432/${database}`;
const schema = 'sync_state';

async function onAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
beforeAll(() => onAdmin(`create database "${database}"`));
afterAll(() => onAdmin(`drop database if exists "${database}" with (force)`));

const run = (id: string, userId: string, kind: SyncRun['kind'] = 'plays'): SyncRun => ({
  id,
  userId,
  kind,
  status: 'ok',
  startedAt: 1,
  finishedAt: 2,
  added: 3,
  removed: 0,
  calls: 1,
  retries: 0,
  rateLimitWaits: 0,
  errors: [],
  resumeAt: null,
  details: { duplicates: 2, mode: 'full' },
});

// PGlite runs the same SQL; it is covered end to end in pglite.test.ts (one instance per file:
// starting PGlite is the slow part).
const backends: Array<[string, () => Promise<SyncStateStore>]> = [
  ['memory', async () => createMemorySyncStateStore()],
  ['postgres', () => createPostgresSyncStateStore({ connectionString: PG_URL, schema })],
];

describe.each(backends)('SyncStateStore (%s)', (_name, open) => {
  it('keeps values, gaps, library, album tracks, refs, availability and runs', async () => {
    const state = await open();
    try {
      expect(await state.getValue('u1', 'plays.cursor')).toBeNull();
      await state.setValue('u1', 'plays.cursor', { newestEndedAt: 5, nested: [1, 'a'] });
      await state.setValue('u1', 'plays.cursor', { newestEndedAt: 6 });
      expect(await state.getValue('u1', 'plays.cursor')).toEqual({ newestEndedAt: 6 });
      expect(await state.getValue('u2', 'plays.cursor')).toBeNull();
      await state.deleteValue('u1', 'plays.cursor');
      expect(await state.getValue('u1', 'plays.cursor')).toBeNull();

      const gap = {
        id: 'g1',
        userId: 'u1',
        from: 10,
        to: 20,
        estimatedMissed: 4,
        detectedAt: 30,
        filledAt: null,
      };
      await state.addGap(gap);
      await state.addGap({ ...gap, estimatedMissed: 99 }); // idempotent by id
      await state.addGap({ ...gap, id: 'g0', from: 1, to: 2 });
      expect((await state.listGaps('u1')).map((g) => [g.id, g.estimatedMissed])).toEqual([
        ['g0', 4],
        ['g1', 4],
      ]);
      await state.fillGaps('u1', ['g1'], 40);
      await state.fillGaps('u1', ['g1'], 50); // the first fill time stays
      expect((await state.listGaps('u1'))[1]?.filledAt).toBe(40);

      await state.putLibrary([
        { userId: 'u1', kind: 'track', id: 't1', addedAt: 1, seenAt: 1 },
        { userId: 'u1', kind: 'track', id: 't2', addedAt: 2, seenAt: 1 },
        { userId: 'u1', kind: 'album', id: 'a1', addedAt: 3, seenAt: 1 },
      ]);
      await state.putLibrary([{ userId: 'u1', kind: 'track', id: 't2', addedAt: 2, seenAt: 9 }]);
      const tracks = await state.listLibrary('u1', 'track');
      expect(tracks.map((e) => [e.id, e.seenAt]).sort()).toEqual([
        ['t1', 1],
        ['t2', 9],
      ]);
      await state.removeLibrary('u1', 'track', ['t1', 'missing']);
      expect((await state.listLibrary('u1', 'track')).map((e) => e.id)).toEqual(['t2']);
      expect((await state.listLibrary('u1', 'album')).map((e) => e.id)).toEqual(['a1']);

      await state.putAlbumTracks(new Map([['a1', ['t5', 't6']]]));
      expect(await state.getAlbumTracks(['a1', 'a2'])).toEqual(new Map([['a1', ['t5', 't6']]]));

      await state.addTrackRefs([
        { userId: 'u1', trackId: 't5', ref: 'album:a1' },
        { userId: 'u2', trackId: 't5', ref: 'played' },
        { userId: 'u1', trackId: 't6', ref: 'album:a1' },
      ]);
      expect((await state.unreferencedTracks(['t5', 't6', 't7'])).sort()).toEqual(['t7']);
      await state.removeTrackRefs([
        { userId: 'u1', trackId: 't5', ref: 'album:a1' },
        { userId: 'u1', trackId: 't6', ref: 'album:a1' },
      ]);
      expect((await state.unreferencedTracks(['t5', 't6'])).sort()).toEqual(['t6']);

      const record = {
        userId: 'u1',
        trackId: 't9',
        status: 'removed' as const,
        reason: 'not_found',
        market: 'from_token',
        noticedAt: 5,
        checkedAt: 5,
      };
      await state.putAvailability([record]);
      await state.putAvailability([{ ...record, checkedAt: 8 }]);
      expect(await state.listAvailability('u1')).toEqual([{ ...record, checkedAt: 8 }]);

      await state.appendRun(run('r1', 'u1'));
      await state.appendRun(run('r2', 'u1', 'library'));
      await state.appendRun(run('r3', 'u2'));
      expect((await state.listRuns('u1')).map((r) => r.id)).toEqual(['r2', 'r1']);
      expect((await state.listRuns('u1', { kind: 'plays' })).map((r) => r.id)).toEqual(['r1']);
      expect((await state.listRuns('u1', { limit: 1 }))[0]).toEqual(run('r2', 'u1', 'library'));
    } finally {
      await state.close();
    }
  });
});

describe('createPostgresSyncStateStore', () => {
  it('rejects a bad schema name with a typed error', async () => {
    const error = await createPostgresSyncStateStore({
      connectionString: PG_URL,
      schema: 'x; drop',
    }).catch((e: unknown) => e);
    expect(isSyncError(error) && error.code).toBe('INVALID_OPTIONS');
  });
});
