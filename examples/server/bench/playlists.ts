// Benchmark of the /playlists pages' library read: a listener with many saved tracks and plays in
// the server's database (PGlite in memory, or PostgreSQL with --backends), then
//   - cold: `loadLibrary` from @spoti/playlists, what every page view would cost without reuse
//     (the baseline), against
//   - `PlaylistsService.loadLibrary` when nothing changed since the last view (fingerprint query,
//     index build), and after new plays (likes and plays read afresh, catalog entities kept);
//   - the evaluation of all six built-ins.
//   node --conditions=@spoti/source --import tsx bench/playlists.ts [--tracks=5000] [--plays=50000]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Artist, Play, Track } from '@spoti/catalog';
import { BUILTIN_RULES, createLibraryIndex, evaluateRules, loadLibrary } from '@spoti/playlists';
import pg from 'pg';
import { PlaylistsService } from '../src/services/playlists-service.js';
import { type Database, openDatabase } from '../src/storage/database.js';
import { mulberry32 as prng } from '@spoti/internal';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const TRACKS = Number(arg('tracks', '5000'));
const PLAYS = Number(arg('plays', '50000'));
const BACKENDS = arg('backends', 'pglite,postgres').split(',');
const ROUNDS = 5;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NOW = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;

async function fill(database: Database, userId: string): Promise<void> {
  const random = prng(7);
  const catalog = database.catalog;
  const artists: Artist[] = Array.from({ length: Math.max(1, TRACKS / 10) }, (_, i) => ({
    id: `bench-artist-${i}`,
    name: `Artist ${i}`,
    genres: [],
    ownerUserId: null,
    imageUrl: null,
    addedAt: 0,
  }));
  await catalog.upsertArtists(artists);
  const tracks: Track[] = Array.from({ length: TRACKS }, (_, i) => ({
    id: `bench-track-${String(i).padStart(6, '0')}`,
    name: `Track ${i}`,
    albumId: null,
    artistIds: [artists[i % artists.length]?.id ?? 'bench-artist-0'],
    ownerArtistId: null,
    durationMs: 120_000 + Math.floor(random() * 240_000),
    isrc: null,
    explicit: false,
    visibility: 'public',
    discNumber: 1,
    trackNumber: 1,
    addedAt: 0,
  }));
  for (let i = 0; i < tracks.length; i += 1000)
    await catalog.upsertTracks(tracks.slice(i, i + 1000));
  for (const track of tracks) {
    await catalog.like({
      userId,
      trackId: track.id,
      likedAt: NOW - Math.floor(random() * 400) * DAY,
    });
  }
  const plays: Play[] = [];
  for (let i = 0; i < PLAYS; i++) {
    // Skewed towards the first tracks, as real listening is.
    const track = tracks[Math.floor(random() ** 2 * tracks.length)] ?? tracks[0];
    if (track === undefined) break;
    plays.push({
      userId,
      trackId: track.id,
      trackName: track.name,
      artistIds: track.artistIds,
      artistName: 'Artist',
      albumId: null,
      albumName: null,
      endedAt: NOW - Math.floor(random() * 365 * DAY),
      msPlayed: track.durationMs,
      skipped: null,
      reasonStart: null,
      reasonEnd: null,
      shuffle: null,
      offline: null,
      offlineTimestamp: null,
      platform: null,
      source: 'export',
    });
  }
  for (let i = 0; i < plays.length; i += 5000) await catalog.appendPlays(plays.slice(i, i + 5000));
}

/** A play appended between two views (the fields a poll leaves empty). */
const EXTRA: Omit<Play, 'userId' | 'trackId' | 'endedAt'> = {
  trackName: 'Track',
  artistIds: [],
  artistName: 'Artist',
  albumId: null,
  albumName: null,
  msPlayed: 200_000,
  skipped: null,
  reasonStart: null,
  reasonEnd: null,
  shuffle: null,
  offline: null,
  offlineTimestamp: null,
  platform: null,
  source: 'api',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function run(backend: string): Promise<string[]> {
  let database: Database;
  let drop = async () => {};
  if (backend === 'postgres') {
    const name = `bench_playlists_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    await admin(`create database "${name}"`);
    drop = () => admin(`drop database if exists "${name}" with (force)`);
    const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
    database = await openDatabase({ kind: 'postgres', url });
  } else database = await openDatabase({ kind: 'pglite', dataDir: undefined });
  try {
    const userId = 'bench-user';
    await fill(database, userId);
    const user = { id: userId, timeZone: 'Europe/Berlin' };
    const service = new PlaylistsService(database, { now: () => NOW });
    const cold = await time(async () => {
      const input = await loadLibrary(database.catalog, { userId });
      createLibraryIndex(input, { now: NOW, timeZone: user.timeZone });
    });
    await service.loadLibrary(user, NOW);
    const warm = await time(() => service.loadLibrary(user, NOW));
    let n = 0;
    const changed = await time(async () => {
      // One more play (as a poll adds): the fingerprint moves, the plays are read again.
      const track = `bench-track-${String(n++ % TRACKS).padStart(6, '0')}`;
      await database.catalog.appendPlays([{ ...EXTRA, userId, trackId: track, endedAt: NOW - n }]);
      await service.loadLibrary(user, NOW);
    });
    const library = await service.loadLibrary(user, NOW);
    const evaluate = await time(async () => evaluateRules(BUILTIN_RULES, library.index));
    const f = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
    const size = `${TRACKS.toLocaleString('en')} saved tracks, ${PLAYS.toLocaleString('en')} plays`;
    return [
      `| ${backend} | ${size} | library for a page view, nothing changed | ${f(warm)} | read every time ${f(cold)} | ${(cold / warm).toFixed(1)}× faster |`,
      `| ${backend} | ${size} | library for a page view after a new play | ${f(changed)} | read every time ${f(cold)} | ${(cold / changed).toFixed(1)}× faster |`,
      `| ${backend} | ${size} | the six built-ins evaluated | ${f(evaluate)} | | |`,
    ];
  } finally {
    await database.close();
    await drop();
  }
}

const rows: string[] = [];
for (const backend of BACKENDS) rows.push(...(await run(backend)));
console.log('| backend | library | what | measured | baseline | ratio |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
