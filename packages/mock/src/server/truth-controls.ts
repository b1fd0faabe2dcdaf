import type { WorldAlbum, WorldPlay } from '../world/types.js';
import { MockError } from './mock-error.js';
import type { MockRuntime } from './runtime.js';
import type { MockControls } from './types.js';

/** Index of the first play that ended at or after `sinceMs` (plays ascend by end time). */
function firstEndedAfter(plays: readonly WorldPlay[], sinceMs: number): number {
  let lo = 0;
  let hi = plays.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((plays[mid] as WorldPlay).endedAtMs < sinceMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `controls.truth`: what really happened in the world, for tests to compare against. */
export function truthControls(rt: MockRuntime): MockControls['truth'] {
  const { world, clock, availability } = rt;
  const countryOf = (userId: string) => world.users.get(userId)?.country ?? '';
  return {
    plays(userId, query = {}) {
      const all = world.playsOf(userId, clock.now());
      const since = query.sinceMs ?? Number.NEGATIVE_INFINITY;
      const from = since === Number.NEGATIVE_INFINITY ? 0 : firstEndedAfter(all, since);
      if (availability.empty) return from === 0 ? all : all.slice(from);
      const country = countryOf(userId);
      const out: WorldPlay[] = [];
      for (let i = from; i < all.length; i++) {
        const play = all[i] as WorldPlay;
        if (availability.heard(play, country)) out.push(play);
      }
      return out;
    },
    availability: () => availability.list(),
    releases(query = {}) {
      const now = clock.now();
      const artists = query.artistIds === undefined ? undefined : new Set(query.artistIds);
      const out: WorldAlbum[] = [];
      for (const album of world.albums.values()) {
        if (!world.isReleased(album.id, now)) continue;
        if (query.sinceMs !== undefined && album.releasedAtMs < query.sinceMs) continue;
        if (artists !== undefined && !album.artistIds.some((id) => artists.has(id))) continue;
        out.push(album);
      }
      return out.sort((a, b) => a.releasedAtMs - b.releasedAtMs || (a.id < b.id ? -1 : 1));
    },
    user(userId) {
      const user = world.users.get(userId);
      if (user === undefined)
        throw new MockError({ code: 'UNKNOWN_USER', message: `No such user: ${userId}` });
      return user;
    },
  };
}
