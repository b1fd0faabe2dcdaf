import { isVisibleTo } from '../logic/visibility.js';
import { type State as MemoryState, k2 } from './memory-state.js';

/** Plays and likes of one item. */
export interface ItemCount {
  plays: number;
  likes: number;
}

/** Ids of the tracks `viewer` may not see (not public, not the viewer's own). */
export function hiddenTrackIds(s: MemoryState, viewer: string | null | undefined): Set<string> {
  const hidden = new Set<string>();
  for (const t of s.tracks.values()) if (!isVisibleTo(t, viewer)) hidden.add(t.id);
  return hidden;
}

/**
 * The counters of the tracks `viewer` may not see, summed by the album and the primary artist each
 * track names now (keys `k2(kind, id)`): what to take off those items' counters so they count only
 * the tracks the viewer may see, as the SQL stores do.
 */
export function hiddenCounts(
  s: MemoryState,
  viewer: string | null | undefined,
): Map<string, ItemCount> {
  const out = new Map<string, ItemCount>();
  for (const id of hiddenTrackIds(s, viewer)) {
    const st = s.stats.get(k2('track', id));
    const t = s.tracks.get(id);
    if (st === undefined || t === undefined) continue;
    const subjects = [
      t.albumId === null ? null : k2('album', t.albumId),
      t.artistIds[0] === undefined ? null : k2('artist', t.artistIds[0]),
    ];
    for (const key of subjects) {
      if (key === null) continue;
      const sum = out.get(key) ?? { plays: 0, likes: 0 };
      sum.plays += st.plays;
      sum.likes += st.likes;
      out.set(key, sum);
    }
  }
  return out;
}
