import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ReleaseStore,
  createMemoryMailer,
  createMemoryReleaseStore,
  createReleaseWatcher,
  createPgliteReleaseStore,
  createPostgresReleaseStore,
} from '../src/index.js';
import { DAY, addRelease, clientFor, isoDate, mockWith } from './helpers.js';
import { releaseStoreSuite } from './store-suite.js';

releaseStoreSuite('memory', async () => createMemoryReleaseStore());
// One PGlite for the file (starting one is slow on a busy machine); tests use their own ids.
let pglite: ReleaseStore;
beforeAll(async () => {
  pglite = await createPgliteReleaseStore();
}, 180_000);
releaseStoreSuite(
  'pglite',
  async () => pglite,
  async () => {},
);

// A database of its own: other packages' tests create and drop schemas in theirs, and a schema
// dropped in the same database while a migration lists tables makes that migration fail.
const admin = 'postgres://postgres@127.0.0.1:5432/test';
const database = `releases_test_${process.pid}_${Date.now().toString(36)}`;
const url = `postgres://postgres@127.0.0.1:5432/${database}`;
async function onAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
beforeAll(() => onAdmin(`create database "${database}"`));
let n = 0;
releaseStoreSuite('postgres', () =>
  createPostgresReleaseStore({ connectionString: url, schema: `releases_${n++}` }),
);
afterAll(async () => {
  await pglite?.close();
  await onAdmin(`drop database if exists "${database}" with (force)`);
});

describe('the watcher on PGlite', () => {
  it('sweeps, folds and sends a digest with its state in SQL', async () => {
    const store = pglite;
    const mock = await mockWith({
      worldOptions: { size: 'tiny', users: 1, artists: 30, historyDays: 2 },
    });
    try {
      addRelease(mock.world, {
        artistIds: [[...mock.world.artists.keys()].sort()[0] as string],
        name: 'SQL Session',
        releaseDate: isoDate(mock.controls.clock.now() - DAY),
        cleanVersion: true,
        japanEdition: true,
      });
      const watcher = createReleaseWatcher({
        store,
        client: clientFor(mock),
        clock: mock.controls.clock,
      });
      await watcher.upsertSubscriber({ id: 'sql-user', email: 'sql@example.com' });
      await watcher.setSubscriberArtists(
        'sql-user',
        [...mock.world.artists.keys()].sort().slice(0, 5),
      );
      const report = await watcher.sweep();
      expect(report.artistsScanned).toBe(5);
      expect((await watcher.reports(1))[0]?.id).toBe(report.id);
      const mailer = createMemoryMailer();
      await watcher.sendDueDigests({
        mailer,
        from: 'releases@example.com',
        unsubscribe: {
          secret: 'a-test-secret-of-32-characters!!',
          baseUrl: 'https://example.com/u',
        },
      });
      expect(mailer.sent).toHaveLength(1);
      expect(mailer.sent[0]?.text.match(/SQL Session/g)).toHaveLength(1);
      const [digest] = await store.listDigests('sql-user');
      expect(digest?.status).toBe('sent');
      const [release] = await store.getReleases(digest?.releaseIds.filter(Boolean) ?? []);
      expect(release).toBeDefined();
      expect(await store.getDeliveredReleaseIds('sql-user')).toEqual(new Set(digest?.releaseIds));
      // A second sweep the next day sees nothing new.
      mock.controls.clock.advance(DAY);
      expect((await watcher.sweep()).releasesFound).toBe(0);
    } finally {
      await mock.close();
    }
  }, 60_000);
});
