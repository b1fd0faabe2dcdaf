import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Album,
  type Artist,
  type CatalogStore,
  type Track,
  createPostgresStore,
} from '../src/index.js';
import { DAY, T0, album, artist, play, track } from './fixtures.js';

// Concurrent writers of overlapping entity sets (library syncs of listeners who share artists,
// albums and tracks) must not deadlock (SQLSTATE 40P01): every upsert locks its rows, search
// documents, postings and vocabulary in one order, whatever the order of its input.
const admin = process.env.CATALOG_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `catalog_locks_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const url = Object.assign(new URL(admin), { pathname: `/${run}` }).toString();

const WRITERS = 8;
const ROUNDS = 6;
const ARTISTS = 30;
const ALBUMS = 40;
const TRACKS = 120;

async function onAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The catalog of one round: same ids every round, new words (new vocabulary) every round. */
function roundCatalog(round: number): { artists: Artist[]; albums: Album[]; tracks: Track[] } {
  const word = (kind: string, i: number) => `${kind}${round}w${i % 17} common${round}`;
  const artists = Array.from({ length: ARTISTS }, (_, i) =>
    artist(`ar${i}`, word('artist', i), [`genre${round}g${i % 5}`]),
  );
  const albums = Array.from({ length: ALBUMS }, (_, i) =>
    album(`al${i}`, word('album', i), [`ar${i % ARTISTS}`], '2020-01-01', [
      `genre${round}g${i % 7}`,
    ]),
  );
  const tracks = Array.from({ length: TRACKS }, (_, i) =>
    track(`tr${i}`, word('track', i), `al${i % ALBUMS}`, [
      `ar${i % ARTISTS}`,
      `ar${(i * 7) % ARTISTS}`,
    ]),
  );
  return { artists, albums, tracks };
}

/** Writer `w`'s view: an overlapping window of each list, forwards or backwards. */
function slice<T>(items: readonly T[], w: number): T[] {
  const from = Math.floor((w * items.length) / (2 * WRITERS));
  const part = items.slice(from, from + Math.ceil(items.length / 2));
  return w % 2 === 0 ? part : part.reverse();
}

function isDeadlock(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === '40P01' || /deadlock detected/.test(e.message))
      return true;
  }
  return false;
}

describe('PostgreSQL entity upserts under concurrency', () => {
  let store: CatalogStore;

  beforeAll(async () => {
    await onAdmin(`create database "${run}"`);
    store = await createPostgresStore({ connectionString: url, maxConnections: WRITERS });
  });

  afterAll(async () => {
    await store?.close();
    await onAdmin(`drop database if exists "${run}" with (force)`);
  });

  it('writers of overlapping artists, albums and tracks in opposite orders never deadlock', async () => {
    const failures: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const catalog = roundCatalog(round);
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        try {
          await store.upsertArtists(slice(catalog.artists, w));
          await store.upsertAlbums(slice(catalog.albums, w));
          await store.upsertTracks(slice(catalog.tracks, w));
        } catch (error) {
          failures.push(error);
        }
      });
      await Promise.all(writers);
    }
    expect(failures.filter(isDeadlock)).toEqual([]);
    expect(failures).toEqual([]);
    const last = roundCatalog(ROUNDS - 1);
    expect((await store.getTrack('tr0'))?.name).toBe(last.tracks[0]?.name);
  }, 120_000);

  it('transactions writing artists, albums and tracks together in opposite orders never deadlock', async () => {
    const failures: unknown[] = [];
    for (let round = ROUNDS; round < 2 * ROUNDS; round++) {
      const catalog = roundCatalog(round);
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        try {
          await store.transaction(async (tx) => {
            await tx.upsertArtists(slice(catalog.artists, w));
            await tx.upsertAlbums(slice(catalog.albums, w));
            await tx.upsertTracks(slice(catalog.tracks, w));
          });
        } catch (error) {
          failures.push(error);
        }
      });
      await Promise.all(writers);
    }
    expect(failures.filter(isDeadlock)).toEqual([]);
    expect(failures).toEqual([]);
    const found = await store.search({ text: `track${2 * ROUNDS - 1}w3`, kinds: ['track'] });
    expect(found.total).toBeGreaterThan(0);
  }, 120_000);

  it('library syncs liking overlapping tracks in opposite orders, beside plays, never deadlock', async () => {
    const catalog = roundCatalog(0);
    const tracks = catalog.tracks.map((t) => t.id);
    const failures: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Per listener: a library sync liking its saved tracks one by one in one transaction, and
      // a poll storing plays of overlapping tracks at the same time.
      const writers = Array.from({ length: WRITERS }, (_, w) => {
        const userId = `u${round}x${w}`;
        const librarySync = store.transaction(async (tx) => {
          for (const trackId of slice(tracks, w)) await tx.like({ userId, trackId, likedAt: T0 });
        });
        const poll = store.appendPlays(
          slice(catalog.tracks, w + 1).map((t, i) => play(userId, t, T0 + round * DAY + i * 1000)),
        );
        return Promise.allSettled([librarySync, poll]).then((results) => {
          for (const r of results) if (r.status === 'rejected') failures.push(r.reason);
        });
      });
      await Promise.all(writers);
    }
    expect(failures.filter(isDeadlock)).toEqual([]);
    expect(failures).toEqual([]);
    // Every like was counted once: each track's counter equals the likes stored for it.
    const users = Array.from({ length: ROUNDS }, (_, r) =>
      Array.from({ length: WRITERS }, (_, w) => `u${r}x${w}`),
    ).flat();
    const stored = new Map<string, number>();
    for (const userId of users) {
      for (const l of await store.listLikes(userId)) {
        stored.set(l.trackId, (stored.get(l.trackId) ?? 0) + 1);
      }
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; likes: number }>(
        "select id, likes from catalog_item_stats where kind = 'track' and likes <> 0",
      );
      expect(new Map(rows.map((r) => [r.id, r.likes]))).toEqual(stored);
    } finally {
      await client.end();
    }
  }, 120_000);
});
