import { createWorld, type MockServer, startMock } from '@spoti/mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMemoryPlaylistMap,
  isPlaylistsError,
  type PlaylistMap,
  type PlaylistWriter,
  playlistMarker,
  syncSmartPlaylist,
} from '../src/index.js';
import { clientFor, keptForAnHour, withReorder, writeRequests } from './mock-world.js';

let mock: MockServer;
let pool: string[];
let userId: string;

beforeAll(async () => {
  mock = await startMock({ seed: 7, port: 0, world: createWorld({ seed: 7, size: 'tiny' }) });
  userId = [...mock.world.users.keys()][0]!;
  const now = mock.controls.clock.now();
  pool = [...mock.world.tracks.values()]
    .filter((t) => mock.world.isReleased(t.albumId, now))
    .map((t) => t.id);
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.controls.faults.clear();
  mock.controls.requests.reset();
});

const itemsOf = (playlistId: string) =>
  mock.world.playlists.get(playlistId)!.items.map((item) => item.trackId);
/** Ids of the user's playlists whose description carries the slug's marker. */
const marked = (slug: string) =>
  mock.world.users
    .get(userId)!
    .playlistIds.filter((id) =>
      mock.world.playlists.get(id)?.description.includes(playlistMarker(slug)),
    );
const uri = (id: string) => `spotify:track:${id}`;

describe('a create whose answer is lost', () => {
  it('finds the playlist it created by its marker, in the same sync: no second playlist', async () => {
    const client = clientFor(mock);
    const map = createMemoryPlaylistMap();
    const result = { trackIds: pool.slice(0, 30), ordered: true };
    mock.controls.faults.script([{ lostAnswer: true }]);
    const report = await syncSmartPlaylist({
      writer: client,
      map,
      slug: 'lost-create',
      name: 'Never played',
      description: 'Tracks you saved and never played',
      result,
    });
    expect(report.created).toBe(true);
    expect(marked('lost-create')).toEqual([report.playlistId]);
    expect(map.entries()['lost-create']).toBe(report.playlistId);
    expect(itemsOf(report.playlistId)).toEqual(result.trackIds);
    const description = mock.world.playlists.get(report.playlistId)!.description;
    expect(description).toBe(
      `Tracks you saved and never played (${playlistMarker('lost-create')})`,
    );
    const again = await syncSmartPlaylist({ writer: client, map, slug: 'lost-create', result });
    expect(again.writeCalls).toBe(0);
    await client.close();
  });

  it('answered after the timeout, likewise', async () => {
    const client = clientFor(mock, { timeoutMs: 200 });
    const map = createMemoryPlaylistMap();
    mock.controls.faults.script([{ lostAnswer: true, delayMs: 1_000 }]);
    const report = await syncSmartPlaylist({
      writer: client,
      map,
      slug: 'late-create',
      result: { trackIds: pool.slice(0, 5), ordered: false },
    });
    expect(marked('late-create')).toEqual([report.playlistId]);
    expect([...itemsOf(report.playlistId)].sort()).toEqual(pool.slice(0, 5).sort());
    await client.close();
  });

  it('when the map write fails after the create, the next sync finds the playlist by its marker', async () => {
    const client = clientFor(mock);
    const real = createMemoryPlaylistMap();
    let failNext = true;
    const flaky: PlaylistMap = {
      get: (slug) => real.get(slug),
      set: (slug, id) => {
        if (failNext) {
          failNext = false;
          throw new Error('database connection lost');
        }
        return real.set(slug, id);
      },
    };
    const result = { trackIds: pool.slice(40, 60), ordered: true };
    await expect(
      syncSmartPlaylist({ writer: client, map: flaky, slug: 'lost-map', result }),
    ).rejects.toThrow(/database connection lost/);
    expect(marked('lost-map')).toHaveLength(1);
    const report = await syncSmartPlaylist({
      writer: client,
      map: flaky,
      slug: 'lost-map',
      result,
    });
    expect(report.foundBy).toBe('marker');
    expect(report.created).toBe(false);
    expect(marked('lost-map')).toEqual([report.playlistId]);
    expect(itemsOf(report.playlistId)).toEqual(result.trackIds);
    await client.close();
  });

  it('a create refused outright (4xx) is reported without a second lookup', async () => {
    const client = clientFor(mock);
    const writer = withReorder(client);
    let lookups = 0;
    const refusing: PlaylistWriter = {
      ...writer,
      getMyPlaylists: (params) => {
        lookups++;
        return writer.getMyPlaylists(params);
      },
      createPlaylist: async () => {
        throw Object.assign(new Error('Forbidden'), { code: 'FORBIDDEN', status: 403 });
      },
    };
    const error = await syncSmartPlaylist({
      writer: refusing,
      map: createMemoryPlaylistMap(),
      slug: 'refused',
      result: { trackIds: [], ordered: true },
    }).catch((e) => e);
    expect(isPlaylistsError(error) && error.code).toBe('SPOTIFY_FAILURE');
    expect(lookups).toBe(1);
    expect(marked('refused')).toEqual([]);
    await client.close();
  });
});

describe('item writes whose answer is lost', () => {
  it('an add whose answer is lost is not sent again: the sync re-reads and re-plans', async () => {
    const client = clientFor(mock);
    const map = createMemoryPlaylistMap();
    await syncSmartPlaylist({
      writer: client,
      map,
      slug: 'lost-add',
      result: { trackIds: [], ordered: true },
    });
    const result = { trackIds: pool.slice(0, 250), ordered: true };
    mock.controls.faults.script([{ lostAnswer: true }]);
    const report = await syncSmartPlaylist({ writer: client, map, slug: 'lost-add', result });
    expect(report.attempts).toBe(2);
    expect(itemsOf(report.playlistId)).toEqual(result.trackIds);
    // 3 adds planned; the first was applied with its answer lost; the re-plan adds the other 2.
    expect(report.writeCalls).toBe(3);
    await client.close();
  });

  it('repairs duplicates an earlier failure left, in the fewest writes (2 for 100 doubled)', async () => {
    const client = clientFor(mock);
    const map = createMemoryPlaylistMap();
    const wanted = pool.slice(0, 364);
    const first = await syncSmartPlaylist({
      writer: client,
      map,
      slug: 'never-played',
      result: { trackIds: wanted, ordered: true },
    });
    // What a blind resend of a lost add did before: the last batch of 100 twice.
    await client.addPlaylistItems(first.playlistId, wanted.slice(264).map(uri));
    expect(itemsOf(first.playlistId)).toHaveLength(464);
    const before = writeRequests(mock);
    const report = await syncSmartPlaylist({
      writer: client,
      map,
      slug: 'never-played',
      result: { trackIds: wanted, ordered: true },
    });
    expect(report.writeCalls).toBe(2);
    expect(writeRequests(mock) - before).toBe(2);
    expect(report.plan.steps.map((s) => s.kind)).toEqual(['remove', 'add']);
    expect(itemsOf(first.playlistId)).toEqual(wanted);
    await client.close();
  });

  it('removes a track another app added, on the next sync, even with a cache that keeps reads an hour', async () => {
    const client = clientFor(mock, { fetch: keptForAnHour });
    const other = clientFor(mock, { cache: false });
    const map = createMemoryPlaylistMap();
    const result = { trackIds: pool.slice(100, 120), ordered: true };
    const first = await syncSmartPlaylist({ writer: client, map, slug: 'other-app', result });
    expect(
      (await syncSmartPlaylist({ writer: client, map, slug: 'other-app', result })).writeCalls,
    ).toBe(0);
    await other.addPlaylistItems(first.playlistId, [uri(pool[300]!)]);
    const report = await syncSmartPlaylist({ writer: client, map, slug: 'other-app', result });
    expect(report.writeCalls).toBe(1);
    expect(itemsOf(first.playlistId)).toEqual(result.trackIds);
    await client.close();
    await other.close();
  });
});

describe.each([
  { rate: 0.03, name: 'conv' },
  { rate: 0.2, name: 'storm' },
])(
  'done when: lost answers on $rate of writes and on the first write of every sync',
  ({ rate, name }) => {
    it('repeated syncs converge: the rule result in order, no duplicates, one playlist each, then 0 writes', async () => {
      const client = clientFor(mock, {
        retry: { retries: 3, minTimeout: 1, maxTimeout: 5 },
        timeoutMs: 250,
      });
      const map = createMemoryPlaylistMap();
      const slugs = [`${name}-a`, `${name}-b`, `${name}-c`];
      let round = 0;
      // Odd rounds hold lost answers back past the client's timeout instead of dropping them.
      const faults = () => {
        const delay = round % 2 === 1 ? { lostAnswerDelayMs: 600 } : {};
        mock.controls.faults.clear();
        mock.controls.faults.set({ lostAnswerRate: rate, ...delay });
        mock.controls.faults.script([
          { lostAnswer: true, ...(round % 2 === 1 ? { delayMs: 600 } : {}) },
        ]);
      };
      // Each round the rules give other results (the library changed), like days of use.
      const resultOf = (slug: string, round: number) => {
        const k = slugs.indexOf(slug);
        const start = (round * 37 + k * 90) % 200;
        const ids = pool.slice(start, start + 120 + ((round * 53 + k * 29) % 160));
        const trackIds = round % 2 === 0 ? ids : [...ids].reverse();
        return { trackIds, ordered: (round + k) % 3 !== 0 };
      };
      let failures = 0;
      let lostAnswers = 0;
      for (round = 0; round < 6; round++) {
        for (const slug of slugs) {
          const result = resultOf(slug, round);
          let done = false;
          for (let run = 0; run < 6 && !done; run++) {
            faults();
            try {
              await syncSmartPlaylist({ writer: client, map, slug, result });
              done = true;
            } catch (error) {
              expect(isPlaylistsError(error) && error.code).toBe('SPOTIFY_FAILURE');
              failures++;
            }
          }
          expect(done).toBe(true);
          const [playlistId, ...others] = marked(slug);
          expect(others).toEqual([]);
          expect(map.entries()[slug]).toBe(playlistId);
          const items = itemsOf(playlistId!);
          expect(new Set(items).size).toBe(items.length);
          if (result.ordered) expect(items).toEqual(result.trackIds);
          else expect([...items].sort()).toEqual([...result.trackIds].sort());
        }
        const lost = mock.controls.requests.log().filter((e) => e.answerLost);
        expect(lost.every((e) => e.answerLost === (round % 2 === 1 ? 'delayed' : 'dropped'))).toBe(
          true,
        );
        lostAnswers += lost.length;
        mock.controls.requests.reset();
      }
      // At least the first write of each of the 18 syncs, and more from the random share.
      expect(lostAnswers).toBeGreaterThanOrEqual(18);
      if (rate > 0.1) expect(lostAnswers).toBeGreaterThan(18);
      // Converged: with the faults still on, a sync of every playlist writes nothing.
      faults();
      const before = writeRequests(mock);
      for (const slug of slugs) {
        const report = await syncSmartPlaylist({
          writer: client,
          map,
          slug,
          result: resultOf(slug, 5),
        });
        expect(report.writeCalls).toBe(0);
        expect(report.plan.strategy).toBe('none');
      }
      expect(writeRequests(mock)).toBe(before);
      // A sync gives up only when its retries ran out; the next one picks up from there.
      expect(failures).toBeLessThan(18);
      await client.close();
    }, 60_000);
  },
);
