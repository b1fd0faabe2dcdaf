import { randomUUID } from 'node:crypto';
import type { Play } from '@spoti/catalog';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/storage/database.js';
import { readStatsPlays } from '../src/storage/stats-plays.js';
import { BACKENDS, onAdmin } from './helpers.js';

const T0 = Date.UTC(2025, 0, 1);
const NAMES = ['Halo', 'Hoppípolla', 'a, "quoted"\nname', 'back\\slash', '🎵 ünïcode', "it's"];

/** Plays of every shape the stats fields hold: missing ids and albums, offline, skips, ties. */
function plays(userId: string, count: number): Play[] {
  return Array.from({ length: count }, (_, i): Play => {
    const named = NAMES[i % NAMES.length] as string;
    return {
      userId,
      trackId: i % 7 === 0 ? null : `t${i % 40}`,
      trackName: `${named} ${i % 40}`,
      artistIds: i % 5 === 0 ? [] : i % 9 === 0 ? [`a${i % 11}`, 'a99'] : [`a${i % 11}`],
      artistName: `${named} artist ${i % 11}`,
      albumId: i % 4 === 0 ? null : `al${i % 13}`,
      albumName: i % 6 === 0 ? null : `album ${named}`,
      // Every third play shares its end time with the next: the pages are cut inside ties.
      endedAt: T0 + Math.floor(i / 3) * 61_000 + (i % 3 === 2 ? 1 : 0),
      msPlayed: (i * 7919) % 400_000,
      skipped: i % 3 === 0 ? null : i % 3 === 1,
      reasonStart: 'trackdone',
      reasonEnd: i % 8 === 0 ? null : i % 2 === 0 ? 'fwdbtn' : 'trackdone',
      shuffle: i % 2 === 0,
      offline: i % 10 === 0 ? null : i % 10 === 1,
      offlineTimestamp: i % 10 === 1 ? T0 - 1_000 * i : null,
      platform: 'linux',
      source: i % 2 === 0 ? 'export' : 'api',
    };
  });
}

async function all<T>(pages: AsyncIterable<T[]>, sizes?: number[]): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    sizes?.push(page.length);
    out.push(...page);
  }
  return out;
}

const opened: { database: Database; drop?: string }[] = [];

afterAll(async () => {
  for (const { database, drop } of opened) {
    await database.close();
    if (drop !== undefined) await onAdmin(`drop database if exists "${drop}" with (force)`);
  }
});

async function open(backend: (typeof BACKENDS)[number]): Promise<Database> {
  if (backend === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dataDir: undefined });
    opened.push({ database });
    return database;
  }
  const name = `server_stats_plays_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  await onAdmin(`create database "${name}"`);
  const url = new URL(
    process.env.SERVER_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  );
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  opened.push({ database, drop: name });
  return database;
}

describe.each(BACKENDS)('readStatsPlays on %s', (backend) => {
  it("gives the catalog's stats plays of one listener, in order, in pages of the size asked", async () => {
    const database = await open(backend);
    await database.catalog.appendPlays(plays('u1', 1_000));
    await database.catalog.appendPlays(plays('u2', 50));
    const expected = await all(database.catalog.iteratePlays({ userId: 'u1', fields: 'stats' }));
    const sizes: number[] = [];
    const read = await all(
      readStatsPlays(database.db as unknown as Kysely<unknown>, 'u1', 150),
      sizes,
    );
    expect(expected).toHaveLength(1_000);
    expect(read).toEqual(expected);
    expect(sizes).toEqual([150, 150, 150, 150, 150, 150, 100]);
    expect(await all(readStatsPlays(database.db as unknown as Kysely<unknown>, 'nobody'))).toEqual(
      [],
    );
  }, 120_000);
});
