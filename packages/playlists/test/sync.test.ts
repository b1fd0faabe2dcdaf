import { createWorld, type MockServer, startMock } from '@spoti/mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPlan,
  BUILTIN_RULES,
  createLibraryIndex,
  createMemoryPlaylistMap,
  evaluateRule,
  evaluateRules,
  isPlaylistsError,
  planPlaylistSync,
  readPlaylistItems,
  type Rule,
  syncSmartPlaylist,
} from '../src/index.js';
import { clientFor, libraryFromWorld, withReorder, writeRequests } from './mock-world.js';

const CUSTOM: Rule = {
  name: 'Night favourites',
  any: [
    { all: [{ gt: { playCount: 2 } }, { inTheRange: { playedAtHour: [22, 4] } }] },
    { all: [{ is: { saved: true } }, { notInTheLast: { lastPlayed: 14 } }] },
  ],
  sort: [{ by: 'playCount', order: 'desc' }, { by: 'title' }],
  separateArtists: true,
  dedupe: 'isrc',
  limit: 150,
};

describe.each(['development-2026', 'extended'] as const)(
  'sync against @spoti/mock (%s)',
  (profile) => {
    // A world per profile: a smart playlist is found again by its marker, so two profiles
    // syncing the same slugs into one account would share playlists.
    const world = createWorld({ seed: 42, size: 'tiny' });
    let mock: MockServer;
    let userId: string;

    beforeAll(async () => {
      mock = await startMock({ seed: 42, profile, port: 0, world });
      userId = mock.controls.truth.user([...world.users.keys()][0]!).id;
    });
    afterAll(async () => {
      await mock.close();
    });

    const itemsOf = (playlistId: string) =>
      mock.world.playlists.get(playlistId)!.items.map((item) => item.trackId);

    it('creates one playlist per rule, fills it with exactly the result, and a second sync writes nothing', async () => {
      const client = clientFor(mock);
      const now = mock.controls.clock.now();
      const library = libraryFromWorld(mock.world, userId, now);
      const index = createLibraryIndex(library, {
        now,
        timeZone: mock.world.users.get(userId)!.timezone,
      });
      const rules = { ...BUILTIN_RULES, night: CUSTOM };
      const results = evaluateRules(rules, index);
      expect(results['most-played'].trackIds.length).toBeGreaterThan(0);
      expect(results.night.trackIds.length).toBeGreaterThan(0);
      const map = createMemoryPlaylistMap();
      for (const [slug, result] of Object.entries(results)) {
        const before = writeRequests(mock);
        const report = await syncSmartPlaylist({
          writer: client,
          map,
          slug,
          name: rules[slug as keyof typeof rules].name ?? slug,
          result,
        });
        expect(report.created).toBe(true);
        expect(writeRequests(mock) - before).toBe(report.writeCalls);
        expect(itemsOf(report.playlistId)).toEqual(result.trackIds);
      }
      expect(Object.keys(map.entries()).sort()).toEqual(Object.keys(rules).sort());

      const before = writeRequests(mock);
      for (const [slug, result] of Object.entries(results)) {
        const report = await syncSmartPlaylist({ writer: client, map, slug, result });
        expect(report.created).toBe(false);
        expect(report.writeCalls).toBe(0);
        expect(report.plan.strategy).toBe('none');
      }
      expect(writeRequests(mock)).toBe(before);
    });

    it('after the library changes, applies only the difference and ends at the new result', async () => {
      const client = clientFor(mock);
      const map = createMemoryPlaylistMap();
      const now = mock.controls.clock.now();
      const library = libraryFromWorld(mock.world, userId, now);
      const rule: Rule = { all: [{ gt: { playCount: 0 } }], sort: '-playCount, title', limit: 230 };
      const first = evaluateRule(rule, createLibraryIndex(library, { now }));
      await syncSmartPlaylist({ writer: client, map, slug: 'top', result: first });

      // a week later with fewer plays: the ranking shifts, some tracks drop out, some come in
      const later = now + 7 * 86_400_000;
      const plays = (library.plays ?? []).filter((_, k) => k % 3 !== 0);
      const second = evaluateRule(rule, createLibraryIndex({ ...library, plays }, { now: later }));
      expect(second.trackIds).not.toEqual(first.trackIds);
      const before = writeRequests(mock);
      const report = await syncSmartPlaylist({ writer: client, map, slug: 'top', result: second });
      expect(report.created).toBe(false);
      expect(report.writeCalls).toBeGreaterThan(0);
      expect(report.writeCalls).toBeLessThanOrEqual(report.plan.naiveWriteCalls);
      expect(writeRequests(mock) - before).toBe(report.writeCalls);
      expect(itemsOf(report.playlistId)).toEqual(second.trackIds);

      // unordered result: only removals and appends, the set matches
      const set = evaluateRule(
        { all: [{ is: { saved: true } }] },
        createLibraryIndex(library, { now }),
      );
      expect(set.ordered).toBe(false);
      const unordered = await syncSmartPlaylist({
        writer: client,
        map,
        slug: 'saved',
        result: set,
      });
      expect([...itemsOf(unordered.playlistId)].sort()).toEqual([...set.trackIds].sort());
    });

    it('moves out-of-order runs when the writer can reorder', async () => {
      const writer = withReorder(clientFor(mock));
      const map = createMemoryPlaylistMap();
      const ids = [...mock.world.tracks.keys()].filter((id) => {
        const album = mock.world.albums.get(mock.world.tracks.get(id)!.albumId)!;
        return mock.world.isReleased(album.id, mock.controls.clock.now());
      });
      const order = ids.slice(0, 180);
      await syncSmartPlaylist({
        writer,
        map,
        slug: 'moves',
        result: { trackIds: order, ordered: true },
      });
      const rotated = [...order.slice(170), ...order.slice(0, 170)];
      const report = await syncSmartPlaylist({
        writer,
        map,
        slug: 'moves',
        result: { trackIds: rotated, ordered: true },
      });
      expect(report.plan.strategy).toBe('moves');
      expect(report.writeCalls).toBe(1);
      expect(itemsOf(report.playlistId)).toEqual(rotated);
    });

    it('refuses a stale plan, and sync re-plans when the playlist changed underneath', async () => {
      const client = clientFor(mock);
      const other = clientFor(mock, { cache: false });
      const map = createMemoryPlaylistMap();
      const ids = [...mock.world.users.get(userId)!.savedTracks.keys()];
      const first = await syncSmartPlaylist({
        writer: client,
        map,
        slug: 'stale',
        result: { trackIds: ids.slice(0, 10), ordered: true },
      });
      const current = await readPlaylistItems(client, first.playlistId);
      const plan = planPlaylistSync({ current, desired: ids.slice(5, 15), ordered: true });
      await other.addPlaylistItems(first.playlistId, [`spotify:track:${ids[20]}`]);
      let caught: unknown;
      try {
        await applyPlan(other, first.playlistId, plan);
      } catch (error) {
        caught = error;
      }
      expect(isPlaylistsError(caught) && caught.code).toBe('STALE_PLAN');
      const report = await syncSmartPlaylist({
        writer: other,
        map,
        slug: 'stale',
        result: { trackIds: ids.slice(5, 15), ordered: true },
      });
      expect(itemsOf(report.playlistId)).toEqual(ids.slice(5, 15));
    });

    it('re-creates the playlist when the mapped one no longer exists', async () => {
      const client = clientFor(mock);
      const map = createMemoryPlaylistMap({ gone: '0000000000000000000000' });
      const report = await syncSmartPlaylist({
        writer: client,
        map,
        slug: 'gone',
        result: {
          trackIds: [...mock.world.users.get(userId)!.savedTracks.keys()].slice(0, 3),
          ordered: false,
        },
      });
      expect(report.created).toBe(true);
      expect(map.entries().gone).toBe(report.playlistId);
    });

    it('property: syncing any current playlist to any result leaves exactly the result on the mock', async () => {
      const client = clientFor(mock);
      const writer = withReorder(client);
      const now = mock.controls.clock.now();
      const pool = [...mock.world.tracks.values()]
        .filter((t) => mock.world.isReleased(t.albumId, now))
        .slice(0, 260)
        .map((t) => t.id);
      const map = createMemoryPlaylistMap();
      const setup = await syncSmartPlaylist({
        writer: client,
        map,
        slug: 'prop',
        result: { trackIds: [], ordered: true },
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { maxLength: 240 }),
          fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { maxLength: 240 }),
          fc.boolean(),
          fc.boolean(),
          async (current, desired, ordered, moves) => {
            // bring the playlist to an arbitrary state (duplicates included) without the planner
            const present = [...new Set(itemsOf(setup.playlistId))].map(
              (id) => `spotify:track:${id}`,
            );
            if (present.length > 0) await client.removePlaylistItems(setup.playlistId, present);
            await client.addPlaylistItems(
              setup.playlistId,
              current.map((k) => `spotify:track:${pool[k]}`),
            );
            const trackIds = [...new Set(desired.map((k) => pool[k]!))];
            const before = writeRequests(mock);
            const report = await syncSmartPlaylist({
              writer: moves ? writer : client,
              map,
              slug: 'prop',
              result: { trackIds, ordered },
            });
            expect(writeRequests(mock) - before).toBe(report.writeCalls);
            const items = itemsOf(setup.playlistId);
            if (ordered) expect(items).toEqual(trackIds);
            else expect([...items].sort()).toEqual([...trackIds].sort());
            const again = await syncSmartPlaylist({
              writer: client,
              map,
              slug: 'prop',
              result: { trackIds, ordered },
            });
            expect(again.writeCalls).toBe(0);
          },
        ),
        { numRuns: 12, seed: 47 },
      );
    });

    it('wraps Spotify failures in SPOTIFY_FAILURE with the cause', async () => {
      const client = clientFor(mock);
      const map = createMemoryPlaylistMap();
      const report = await syncSmartPlaylist({
        writer: client,
        map,
        slug: 'fail',
        result: { trackIds: [], ordered: true },
      });
      const plan = planPlaylistSync({
        current: { snapshotId: null, uris: [] },
        desired: ['notARealTrackId0000000'],
      });
      let caught: unknown;
      try {
        await applyPlan(client, report.playlistId, plan);
      } catch (error) {
        caught = error;
      }
      expect(isPlaylistsError(caught) && caught.code).toBe('SPOTIFY_FAILURE');
      expect((caught as Error).message).toMatch(/^Playlist write 1 of 1 failed after 0 succeeded/);
      expect((caught as Error).cause).toBeDefined();
    });
  },
);
