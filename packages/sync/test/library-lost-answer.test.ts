import { createMemoryStore } from '@spoti/catalog';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySyncStateStore, createSync } from '../src/index.js';
import { DAY, type Harness, harness, prng } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

class LostAnswer extends Error {
  override readonly name = 'LostAnswer';
}

/** Applies each call of the named methods, then (at `rate`, seeded) reports a failure anyway. */
function losingAnswers<T extends object>(
  target: T,
  methods: readonly string[],
  random: () => number,
  control: { rate: number; lost: number },
): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!methods.includes(String(prop))) return value.bind(obj);
      return async (...args: unknown[]) => {
        const result = await value.apply(obj, args);
        if (random() < control.rate) {
          control.lost += 1;
          throw new LostAnswer(`answer of ${String(prop)} lost`);
        }
        return result;
      };
    },
  });
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

describe('library sync when store writes lose their answer', () => {
  it('repeated syncs converge to the account: saves and removals mirrored once', async () => {
    h = await harness({ persona: 'heavy-pop' });
    const random = prng(5);
    const control = { rate: 0.02, lost: 0 };
    const store = createMemoryStore();
    const state = createMemorySyncStateStore();
    const sync = createSync({
      store: losingAnswers(
        store,
        [
          'like',
          'unlike',
          'follow',
          'unfollow',
          'upsertTracks',
          'upsertAlbums',
          'upsertArtists',
          'deleteTracks',
        ],
        random,
        control,
      ),
      state: losingAnswers(
        state,
        [
          'putLibrary',
          'removeLibrary',
          'addTrackRefs',
          'removeTrackRefs',
          'putAlbumTracks',
          'setValue',
        ],
        random,
        control,
      ),
      clock: h.mock.controls.clock,
    });
    const user = h.mock.world.users.get(h.userId)!;
    const runs = async (count: number) => {
      for (let k = 0; k < count; k++) await sync.syncLibrary(h!.user).catch(() => null);
    };
    await runs(8);
    // The user saves and removes things from another app, then the sync runs on.
    const client = h.client;
    const saved = [...user.savedTracks.keys()];
    await client.removeFromLibrary(saved.slice(0, 5).map((id) => `spotify:track:${id}`));
    const fresh = [...h.mock.world.tracks.keys()].filter((id) => !user.savedTracks.has(id));
    await client.saveToLibrary(fresh.slice(0, 7).map((id) => `spotify:track:${id}`));
    h.mock.controls.clock.advance(DAY);
    await runs(8);
    expect(control.lost).toBeGreaterThan(3);
    control.rate = 0;
    // Once the faults stop, the next runs converge (a full pass resumed across the changes
    // finishes first; the run after it picks up what changed meanwhile), then change nothing.
    let quiet = null;
    for (let k = 0; k < 4 && quiet === null; k++) {
      const result = await sync.syncLibrary(h.user);
      expect(result.run.status).toBe('ok');
      const changed =
        Object.values(result.added).reduce((a, b) => a + b, 0) +
        Object.values(result.removed).reduce((a, b) => a + b, 0);
      if (changed === 0 && k > 0) quiet = k;
    }
    expect(quiet).not.toBeNull();
    const tracks = await state.listLibrary(h.userId, 'track');
    expect(sorted(tracks.map((e) => e.id))).toEqual(sorted(user.savedTracks.keys()));
    const likes = await store.listLikes(h.userId);
    expect(sorted(likes.map((l) => l.trackId))).toEqual(sorted(user.savedTracks.keys()));
    expect(new Set(likes.map((l) => l.trackId)).size).toBe(likes.length);
    const follows = await store.listFollows(h.userId);
    expect(sorted(follows.map((f) => f.artistId))).toEqual(sorted(user.followedArtists.keys()));
  }, 120_000);
});
