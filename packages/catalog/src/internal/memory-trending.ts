import type { Like } from '../domain/annotations.js';
import type { Play } from '../domain/play.js';
import type { Track } from '../domain/track.js';
import {
  type ResolvedTrendingOptions,
  type TrendingEntry,
  type TrendingEvent,
  compareTrending,
  roundScore,
  trendingRange,
} from '../logic/trending.js';
import { topK } from './top-k.js';
import {
  DAY_MS,
  MIN_EXPONENT,
  REBASE_AFTER_HALF_LIVES,
  TRENDING_HALF_LIFE_MS,
  TRENDING_INITIAL_REF_MS,
  dayOf,
} from './trending-aggregates.js';

interface Total {
  plays: number;
  /** Σ 2^((endedAt − ref) / H) of the item's plays. */
  decay: number;
}

/**
 * The memory store's trending aggregates, kept as plays are appended (the SQL stores keep the same
 * in `catalog_trending_daily` and the totals of `catalog_item_stats`): the plays of each UTC day, so a
 * window reads only its own days, and all-time totals per item for the default half-life, so the
 * all-time ranking reads one entry per item. Results equal `rankTrending` over the whole log (up
 * to floating-point rounding, as in the SQL stores).
 */
export class MemoryTrending {
  /** Plays with a track id, by UTC day. */
  private readonly days = new Map<number, Play[]>();
  private readonly totals = {
    track: new Map<string, Total>(),
    album: new Map<string, Total>(),
    artist: new Map<string, Total>(),
  };
  private ref = TRENDING_INITIAL_REF_MS;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  /** A copy whose later changes do not touch this one (for transaction rollback). */
  clone(): MemoryTrending {
    const c = new MemoryTrending();
    for (const [day, plays] of this.days) c.days.set(day, plays.slice());
    for (const kind of ['track', 'album', 'artist'] as const) {
      for (const [id, t] of this.totals[kind]) c.totals[kind].set(id, { ...t });
    }
    c.ref = this.ref;
    c.lo = this.lo;
    c.hi = this.hi;
    return c;
  }

  /** Adds one stored play (plays without a track id do not trend). */
  add(p: Play): void {
    if (p.trackId === null) return;
    if ((p.endedAt - this.ref) / TRENDING_HALF_LIFE_MS > REBASE_AFTER_HALF_LIVES) {
      this.rebase(dayOf(p.endedAt) * DAY_MS);
    }
    const day = dayOf(p.endedAt);
    const list = this.days.get(day);
    if (list === undefined) this.days.set(day, [p]);
    else list.push(p);
    if (p.endedAt < this.lo) this.lo = p.endedAt;
    if (p.endedAt > this.hi) this.hi = p.endedAt;
    const weight = 2 ** Math.max(MIN_EXPONENT, (p.endedAt - this.ref) / TRENDING_HALF_LIFE_MS);
    this.addTotal('track', p.trackId, weight);
    if (p.albumId !== null) this.addTotal('album', p.albumId, weight);
    const artist = p.artistIds[0] ?? null;
    if (artist !== null) this.addTotal('artist', artist, weight);
  }

  private addTotal(kind: keyof MemoryTrending['totals'], id: string, weight: number): void {
    const t = this.totals[kind].get(id);
    if (t === undefined) this.totals[kind].set(id, { plays: 1, decay: weight });
    else {
      t.plays += 1;
      t.decay += weight;
    }
  }

  private rebase(ref: number): void {
    const shift = (ref - this.ref) / TRENDING_HALF_LIFE_MS;
    for (const map of Object.values(this.totals)) {
      for (const t of map.values()) {
        t.decay = 2 ** Math.max(MIN_EXPONENT, Math.log2(t.decay) - shift);
      }
    }
    this.ref = ref;
  }

  /**
   * Ranks as `rankTrending` would over every play and like of the tracks not in `hidden`, reading
   * only what the window needs.
   */
  rank(
    o: ResolvedTrendingOptions,
    likes: Iterable<Like>,
    trackOf: (id: string) => Track | undefined,
    hidden: ReadonlySet<string>,
  ): TrendingEntry[] {
    const { from, to } = trendingRange(o.window, o.now);
    const likeEvents = function* (): Generator<TrendingEvent> {
      for (const l of likes) {
        if (hidden.has(l.trackId)) continue;
        const t = trackOf(l.trackId);
        yield {
          type: 'like',
          trackId: l.trackId,
          albumId: t?.albumId ?? null,
          artistId: t?.artistIds[0] ?? null,
          at: l.likedAt,
        };
      }
    };
    const holdsEverything =
      this.hi < this.lo || (this.lo >= from && this.hi < Math.min(to, o.now + 1));
    if (
      holdsEverything &&
      o.halfLifeMs === TRENDING_HALF_LIFE_MS &&
      (o.now - this.ref) / o.halfLifeMs <= -MIN_EXPONENT
    ) {
      return this.rankAllTime(o, from, to, likeEvents(), this.hiddenTotals(o, hidden, trackOf));
    }
    const acc: Acc = new Map();
    const firstDay = dayOf(Math.max(from, this.lo));
    const lastDay = dayOf(Math.min(to - 1, this.hi));
    const visit = (plays: readonly Play[]) => {
      for (const p of plays) {
        if (p.endedAt < from || p.endedAt >= to || hidden.has(p.trackId ?? '')) continue;
        const id =
          o.kind === 'track'
            ? p.trackId
            : o.kind === 'album'
              ? p.albumId
              : (p.artistIds[0] ?? null);
        if (id === null) continue;
        // The formula of rankTrending, term by term.
        const decay = 2 ** (-Math.max(0, o.now - p.endedAt) / o.halfLifeMs);
        const a = acc.get(id);
        if (a === undefined) acc.set(id, { score: o.playWeight * decay, plays: 1, likes: 0 });
        else {
          a.score += o.playWeight * decay;
          a.plays += 1;
        }
      }
    };
    if (lastDay - firstDay + 1 <= this.days.size) {
      for (let day = firstDay; day <= lastDay; day++) {
        const plays = this.days.get(day);
        if (plays !== undefined) visit(plays);
      }
    } else {
      for (const [day, plays] of this.days) if (day >= firstDay && day <= lastDay) visit(plays);
    }
    return finish(o, addLikes(acc, o, from, to, likeEvents()));
  }

  /**
   * What the hidden tracks add to the totals of `o.kind`: the tracks' own totals, or for albums
   * and artists the tracks' totals by the album and primary artist each names now (as the SQL
   * stores take them off).
   */
  private hiddenTotals(
    o: ResolvedTrendingOptions,
    hidden: ReadonlySet<string>,
    trackOf: (id: string) => Track | undefined,
  ): Map<string, Total> {
    const out = new Map<string, Total>();
    for (const id of hidden) {
      const total = this.totals.track.get(id);
      const t = trackOf(id);
      const subject = o.kind === 'track' ? id : o.kind === 'album' ? t?.albumId : t?.artistIds[0];
      if (total === undefined || subject === undefined || subject === null) continue;
      const sum = out.get(subject) ?? { plays: 0, decay: 0 };
      sum.plays += total.plays;
      sum.decay += total.decay;
      out.set(subject, sum);
    }
    return out;
  }

  /** All-time ranking: plays from the totals less the hidden ones, likes event by event. */
  private rankAllTime(
    o: ResolvedTrendingOptions,
    from: number,
    to: number,
    likes: Iterable<TrendingEvent>,
    hidden: ReadonlyMap<string, Total>,
  ): TrendingEntry[] {
    const factor = 2 ** Math.max(MIN_EXPONENT, -(o.now - this.ref) / o.halfLifeMs);
    const liked = addLikes(new Map(), o, from, to, likes);
    const entries: TrendingEntry[] = [];
    for (const [id, total] of this.totals[o.kind]) {
      const h = hidden.get(id);
      const t =
        h === undefined ? total : { plays: total.plays - h.plays, decay: total.decay - h.decay };
      const l = liked.get(id);
      if (t.plays <= 0 && l === undefined) continue;
      const score = o.playWeight * t.decay * factor + (l?.score ?? 0);
      entries.push({
        kind: o.kind,
        id,
        score: roundScore(score),
        plays: t.plays,
        likes: l?.likes ?? 0,
      });
    }
    for (const [id, l] of liked) {
      if (this.totals[o.kind].has(id)) continue;
      entries.push({ kind: o.kind, id, score: roundScore(l.score), plays: 0, likes: l.likes });
    }
    return topK(entries, o.limit, compareTrending);
  }
}

type Acc = Map<string, { score: number; plays: number; likes: number }>;

/** Adds the likes in the window to the scores, as `rankTrending` does. */
function addLikes(
  acc: Acc,
  o: ResolvedTrendingOptions,
  from: number,
  to: number,
  likes: Iterable<TrendingEvent>,
): Acc {
  for (const e of likes) {
    if (e.at < from || e.at >= to) continue;
    const id = o.kind === 'track' ? e.trackId : o.kind === 'album' ? e.albumId : e.artistId;
    if (id === null) continue;
    const a = acc.get(id) ?? { score: 0, plays: 0, likes: 0 };
    a.score += o.likeWeight * 2 ** (-Math.max(0, o.now - e.at) / o.halfLifeMs);
    a.likes += 1;
    acc.set(id, a);
  }
  return acc;
}

/** Rounds, orders and cuts as `rankTrending` does. */
function finish(o: ResolvedTrendingOptions, acc: Acc): TrendingEntry[] {
  const entries: TrendingEntry[] = [];
  for (const [id, a] of acc) {
    entries.push({ kind: o.kind, id, score: roundScore(a.score), plays: a.plays, likes: a.likes });
  }
  return topK(entries, o.limit, compareTrending);
}
