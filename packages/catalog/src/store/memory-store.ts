import { GuardedStore } from './guarded-store.js';
import type { Album } from '../domain/album.js';
import type { Favourite, Follow, Like, TrackAnnotation } from '../domain/annotations.js';
import type { Artist } from '../domain/artist.js';
import { type Genre, genreId } from '../domain/genre.js';
import type { Subscription } from '../domain/plan.js';
import type { Play } from '../domain/play.js';
import type { Playlist } from '../domain/playlist.js';
import type { Track } from '../domain/track.js';
import type { User } from '../domain/user.js';
import { deleteTrackIds, deleteTracksResult } from '../internal/delete-tracks.js';
import { MemorySearchIndex } from '../internal/memory-search-index.js';
import {
  type State,
  type Stats,
  cloneState,
  emptyState,
  k2,
  k3,
} from '../internal/memory-state.js';
import { byCodeUnits } from '../internal/shared-row-writes.js';
import { type ItemCount, hiddenCounts, hiddenTrackIds } from '../internal/memory-hidden.js';
import { MemoryTrending } from '../internal/memory-trending.js';
import { createMutex } from '../concurrency/mutex.js';
import { parseOptions } from '../internal/parse-options.js';
import { mulberry32 } from '../internal/prng.js';
import { MAX_CANDIDATES, candidateSeeds, compareCandidates } from '../internal/recommend-plan.js';
import {
  albumDoc,
  artistDoc,
  genreDocs,
  trackDoc,
  type StaticDoc,
} from '../internal/search-docs.js';
import {
  type ListTracksOptions,
  type RandomTracksOptions,
  type TrackPage,
  listTracksOptionsSchema,
  randomTracksOptionsSchema,
} from '../logic/listing.js';
import {
  type ItemStats,
  type ItemStatsOptions,
  compareTrackStats,
  itemStatsOptionsSchema,
} from '../logic/item-stats.js';
import { playKey } from '../logic/play-key.js';
import { isVisibleTo } from '../logic/visibility.js';
import { type Recommendation, type RecommendationTrack, recommend } from '../logic/recommend.js';
import {
  type SearchDocument,
  type SearchQuery,
  type SearchResult,
  searchDocuments,
  searchQuerySchema,
  searchTerms,
} from '../logic/search.js';
import {
  type TrendingEntry,
  type TrendingOptions,
  trendingOptionsSchema,
} from '../logic/trending.js';
import type {
  AppendPlaysResult,
  CatalogStore,
  DeleteTracksResult,
  KeptTrackReason,
  ListPlaysOptions,
  FoldPlaysResult,
  RebuildAggregatesResult,
  StoreRecommendOptions,
} from './catalog-store.js';
import {
  type IteratePlaysOptions,
  type RecentPlaysOptions,
  type RecentPlaysPage,
  containsText,
  encodePlayCursor,
  parseIteratePlays,
  parseRecentPlays,
  statsFields,
} from './play-reads.js';

class Holder {
  state: State = emptyState();
  readonly mutex = createMutex();
  /** Derived from `state.docs`; rebuilt when the state was swapped (a rolled-back transaction). */
  readonly search = new MemorySearchIndex();
}

/**
 * The in-memory {@link CatalogStore}: for tests, small tools and as the benchmark baseline.
 * Transactions are serialised and roll back by restoring a snapshot.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * await store.upsertArtists([artist]);
 * ```
 */
export function createMemoryStore(): CatalogStore {
  return new GuardedStore(new MemoryCatalogStore(new Holder(), false));
}

class MemoryCatalogStore implements CatalogStore {
  readonly backend = 'memory' as const;

  constructor(
    private readonly holder: Holder,
    private readonly inTransaction: boolean,
  ) {}

  private get s(): State {
    return this.holder.state;
  }

  private bump(kind: string, id: string | null, field: keyof Stats, by: number): void {
    if (id === null) return;
    const key = k2(kind, id);
    const st = this.s.stats.get(key) ?? { plays: 0, likes: 0 };
    st[field] += by;
    this.s.stats.set(key, st);
  }

  /** Stores a search document and keeps the index in step. */
  private setDoc(key: string, doc: StaticDoc): void {
    this.s.docs.set(key, doc);
    if (this.holder.search.source === this.s.docs) this.holder.search.put(key, doc);
  }

  private deleteDoc(key: string): void {
    this.s.docs.delete(key);
    if (this.holder.search.source === this.s.docs) this.holder.search.remove(key);
  }

  private addGenres(names: readonly string[], at: number): void {
    for (const d of genreDocs(names, at)) {
      const key = k2('genre', d.id);
      if (!this.s.docs.has(key)) this.setDoc(key, d);
    }
  }

  async upsertArtists(artists: readonly Artist[]): Promise<void> {
    for (const a of artists) {
      this.s.artists.set(a.id, a);
      this.setDoc(k2('artist', a.id), artistDoc(a));
      this.addGenres(a.genres, a.addedAt);
    }
  }

  async upsertAlbums(albums: readonly Album[]): Promise<void> {
    for (const al of albums) {
      this.s.albums.set(al.id, al);
      this.setDoc(
        k2('album', al.id),
        albumDoc(
          al,
          al.artistIds.map((id) => this.s.artists.get(id)),
        ),
      );
      this.addGenres(al.genres, al.addedAt);
    }
  }

  async upsertTracks(tracks: readonly Track[]): Promise<void> {
    for (const t of tracks) {
      this.s.tracks.set(t.id, t);
      const album = t.albumId === null ? undefined : this.s.albums.get(t.albumId);
      this.setDoc(
        k2('track', t.id),
        trackDoc(
          t,
          t.artistIds.map((id) => this.s.artists.get(id)),
          album,
        ),
      );
    }
  }

  async upsertUsers(users: readonly User[]): Promise<void> {
    for (const u of users) this.s.users.set(u.id, u);
  }

  async upsertPlaylists(playlists: readonly Playlist[]): Promise<void> {
    for (const p of playlists) this.s.playlists.set(p.id, p);
  }

  async upsertSubscriptions(subscriptions: readonly Subscription[]): Promise<void> {
    for (const x of subscriptions) this.s.subscriptions.set(x.id, x);
  }

  async getArtist(id: string): Promise<Artist | null> {
    return this.s.artists.get(id) ?? null;
  }
  async getAlbum(id: string): Promise<Album | null> {
    return this.s.albums.get(id) ?? null;
  }
  async getTrack(id: string): Promise<Track | null> {
    return this.s.tracks.get(id) ?? null;
  }
  async getUser(id: string): Promise<User | null> {
    return this.s.users.get(id) ?? null;
  }
  async getPlaylist(id: string): Promise<Playlist | null> {
    return this.s.playlists.get(id) ?? null;
  }
  async getSubscription(id: string): Promise<Subscription | null> {
    return this.s.subscriptions.get(id) ?? null;
  }

  async listGenres(): Promise<Genre[]> {
    const out: Genre[] = [];
    for (const d of this.s.docs.values())
      if (d.kind === 'genre') out.push({ id: d.id, name: d.name });
    return out.sort((a, b) => byCodeUnits(a.id, b.id));
  }

  async appendPlays(plays: readonly Play[]): Promise<AppendPlaysResult> {
    let inserted = 0;
    for (const p of plays) {
      const key = playKey(p);
      if (this.s.playKeys.has(key)) continue;
      this.s.playKeys.add(key);
      this.s.plays.push(p);
      inserted++;
      this.countPlay(p);
    }
    return { inserted, duplicates: plays.length - inserted };
  }

  /** Adds one stored play to the counters derived from the log. */
  private countPlay(p: Play): void {
    if (p.trackId !== null) {
      this.bump('track', p.trackId, 'plays', 1);
      const key = k2(p.userId, p.trackId);
      const ut = this.s.userTrack.get(key) ?? { count: 0, last: p.endedAt };
      ut.count += 1;
      ut.last = Math.max(ut.last, p.endedAt);
      this.s.userTrack.set(key, ut);
    }
    this.bump('album', p.albumId, 'plays', 1);
    this.bump('artist', p.artistIds[0] ?? null, 'plays', 1);
    this.s.trending.add(p);
  }

  async listPlays(options: ListPlaysOptions): Promise<Play[]> {
    const from = options.from ?? Number.MIN_SAFE_INTEGER;
    const to = options.to ?? Number.MAX_SAFE_INTEGER;
    const out = this.s.plays
      .filter((p) => p.userId === options.userId && p.endedAt >= from && p.endedAt < to)
      .sort((a, b) => a.endedAt - b.endedAt || byCodeUnits(a.trackId ?? '', b.trackId ?? ''));
    return options.limit === undefined ? out : out.slice(0, options.limit);
  }

  async *iteratePlays(options: IteratePlaysOptions): AsyncGenerator<Play[]> {
    const q = parseIteratePlays(options);
    const from = q.from ?? Number.MIN_SAFE_INTEGER;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    // A stable sort keeps storage order between plays that ended at the same instant.
    const plays = this.s.plays
      .filter((p) => p.userId === q.userId && p.endedAt >= from && p.endedAt < to)
      .sort((a, b) => a.endedAt - b.endedAt);
    for (let i = 0; i < plays.length; i += q.pageSize) {
      const page = plays.slice(i, i + q.pageSize);
      yield q.fields === 'stats' ? page.map(statsFields) : page;
    }
  }

  async listRecentPlays(options: RecentPlaysOptions): Promise<RecentPlaysPage> {
    const q = parseRecentPlays(options);
    const out: { play: Play; seq: number }[] = [];
    const plays = this.s.plays;
    for (let seq = plays.length - 1; seq >= 0; seq--) {
      const p = plays[seq] as Play;
      if (p.userId !== q.userId) continue;
      if (q.from !== undefined && p.endedAt < q.from) continue;
      if (q.to !== undefined && p.endedAt >= q.to) continue;
      if (!containsText(p.artistName, q.artist) || !containsText(p.trackName, q.track)) continue;
      const b = q.before;
      if (b !== undefined && (p.endedAt > b.endedAt || (p.endedAt === b.endedAt && seq >= b.seq)))
        continue;
      out.push({ play: p, seq });
    }
    // Newest first; among plays that ended together, the last stored first.
    out.sort((a, b) => b.play.endedAt - a.play.endedAt || b.seq - a.seq);
    const page = out.slice(0, q.limit);
    const last = page.at(-1);
    return {
      plays: page.map((e) => e.play),
      next:
        out.length > q.limit && last !== undefined
          ? encodePlayCursor({ endedAt: last.play.endedAt, seq: last.seq })
          : null,
    };
  }

  async countPlays(): Promise<number> {
    return this.s.plays.length;
  }

  private likeSubjects(trackId: string): { albumId: string | null; artistId: string | null } {
    const t = this.s.tracks.get(trackId);
    return { albumId: t?.albumId ?? null, artistId: t?.artistIds[0] ?? null };
  }

  async like(like: Like): Promise<void> {
    const key = k2(like.userId, like.trackId);
    if (this.s.likes.has(key)) return;
    this.s.likes.set(key, like);
    const { albumId, artistId } = this.likeSubjects(like.trackId);
    this.bump('track', like.trackId, 'likes', 1);
    this.bump('album', albumId, 'likes', 1);
    this.bump('artist', artistId, 'likes', 1);
  }

  async unlike(userId: string, trackId: string): Promise<void> {
    const key = k2(userId, trackId);
    if (!this.s.likes.delete(key)) return;
    const { albumId, artistId } = this.likeSubjects(trackId);
    this.bump('track', trackId, 'likes', -1);
    this.bump('album', albumId, 'likes', -1);
    this.bump('artist', artistId, 'likes', -1);
  }

  async listLikes(userId: string): Promise<Like[]> {
    return [...this.s.likes.values()]
      .filter((l) => l.userId === userId)
      .sort((a, b) => b.likedAt - a.likedAt || byCodeUnits(a.trackId, b.trackId));
  }

  async addFavourite(f: Favourite): Promise<void> {
    const key = k3(f.userId, f.kind, f.targetId);
    if (!this.s.favourites.has(key)) this.s.favourites.set(key, f);
  }

  async removeFavourite(userId: string, kind: Favourite['kind'], targetId: string): Promise<void> {
    this.s.favourites.delete(k3(userId, kind, targetId));
  }

  async listFavourites(userId: string): Promise<Favourite[]> {
    return [...this.s.favourites.values()]
      .filter((f) => f.userId === userId)
      .sort((a, b) => byCodeUnits(a.kind, b.kind) || byCodeUnits(a.targetId, b.targetId));
  }

  async follow(f: Follow): Promise<void> {
    const key = k2(f.userId, f.artistId);
    if (!this.s.follows.has(key)) this.s.follows.set(key, f);
  }

  async unfollow(userId: string, artistId: string): Promise<void> {
    this.s.follows.delete(k2(userId, artistId));
  }

  async listFollows(userId: string): Promise<Follow[]> {
    return [...this.s.follows.values()]
      .filter((f) => f.userId === userId)
      .sort((a, b) => byCodeUnits(a.artistId, b.artistId));
  }

  async getAnnotation(userId: string, trackId: string): Promise<TrackAnnotation> {
    const ut = this.s.userTrack.get(k2(userId, trackId));
    return {
      userId,
      trackId,
      playCount: ut?.count ?? 0,
      lastPlayedAt: ut?.last ?? null,
      liked: this.s.likes.has(k2(userId, trackId)),
      favourite: this.s.favourites.has(k3(userId, 'track', trackId)),
    };
  }

  async trending(options: TrendingOptions): Promise<TrendingEntry[]> {
    const o = parseOptions(trendingOptionsSchema, options, 'trending options');
    return this.s.trending.rank(
      o,
      this.s.likes.values(),
      (id) => this.s.tracks.get(id),
      hiddenTrackIds(this.s, o.viewerArtistId),
    );
  }

  async listTracks(options: ListTracksOptions): Promise<TrackPage> {
    const o = parseOptions(listTracksOptionsSchema, options, 'listTracks options');
    const list = [...this.s.tracks.values()].filter(
      (t) =>
        isVisibleTo(t, o.viewerArtistId) &&
        (o.albumId === undefined || t.albumId === o.albumId) &&
        (o.artistId === undefined || t.artistIds.includes(o.artistId)),
    );
    list.sort(
      o.albumId !== undefined
        ? (a, b) =>
            a.discNumber - b.discNumber || a.trackNumber - b.trackNumber || byCodeUnits(a.id, b.id)
        : (a, b) => b.addedAt - a.addedAt || byCodeUnits(a.id, b.id),
    );
    return { total: list.length, tracks: list.slice(o.offset, o.offset + o.limit) };
  }

  async randomTracks(options: RandomTracksOptions): Promise<Track[]> {
    const o = parseOptions(randomTracksOptionsSchema, options, 'randomTracks options');
    const genre = o.genre === undefined ? undefined : genreId(o.genre);
    const pool = [...this.s.tracks.values()].filter(
      (t) =>
        isVisibleTo(t, o.viewerArtistId) &&
        (genre === undefined || (this.s.docs.get(k2('track', t.id))?.genres ?? []).includes(genre)),
    );
    pool.sort((a, b) => byCodeUnits(a.id, b.id));
    const random = o.seed === undefined ? Math.random : mulberry32(Math.round(o.seed * 2 ** 31));
    const count = Math.min(o.count, pool.length);
    // A partial Fisher–Yates shuffle: the first `count` places are a uniform draw.
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j] as Track, pool[i] as Track];
    }
    return pool.slice(0, count);
  }

  async itemStats(options: ItemStatsOptions): Promise<ItemStats> {
    const o = parseOptions(itemStatsOptionsSchema, options, 'itemStats options');
    const counted = new Set<string>();
    for (const t of this.s.tracks.values()) {
      const subject = o.kind === 'artist' ? t.artistIds[0] : t.albumId;
      if (subject === o.id && isVisibleTo(t, o.viewerArtistId)) counted.add(t.id);
    }
    const rows = [...counted].map((trackId) => {
      const st = this.s.stats.get(k2('track', trackId));
      return { trackId, plays: st?.plays ?? 0, likes: st?.likes ?? 0 };
    });
    const listeners = new Set<string>();
    for (const key of this.s.userTrack.keys()) {
      const [userId, trackId] = key.split('\u0000') as [string, string];
      if (counted.has(trackId)) listeners.add(userId);
    }
    return {
      tracks: rows.length,
      plays: rows.reduce((n, r) => n + r.plays, 0),
      likes: rows.reduce((n, r) => n + r.likes, 0),
      listeners: listeners.size,
      topTracks: rows.sort(compareTrackStats).slice(0, o.top),
    };
  }

  private liveDoc(d: StaticDoc, hidden: ReadonlyMap<string, ItemCount>): SearchDocument {
    if (d.kind === 'genre') return { ...d, plays: 0, likes: 0 };
    const key = k2(d.kind, d.id);
    const st = this.s.stats.get(key);
    const h = d.kind === 'track' ? undefined : hidden.get(key);
    return {
      ...d,
      plays: Math.max(0, (st?.plays ?? 0) - (h?.plays ?? 0)),
      likes: Math.max(0, (st?.likes ?? 0) - (h?.likes ?? 0)),
    };
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const docs = this.s.docs;
    const index = this.holder.search;
    if (index.source !== docs) index.rebuild(docs);
    const keys = index.candidates(
      searchTerms(parseOptions(searchQuerySchema, query, 'search query').text),
    );
    const self = this;
    const viewer = parseOptions(searchQuerySchema, query, 'search query').viewerArtistId;
    const hidden = hiddenCounts(this.s, viewer);
    const visible = (d: StaticDoc) => {
      if (d.kind !== 'track') return true;
      const t = self.s.tracks.get(d.id);
      return t === undefined || isVisibleTo(t, viewer);
    };
    function* candidates(): Generator<SearchDocument> {
      if (keys === null) {
        for (const d of docs.values()) if (visible(d)) yield self.liveDoc(d, hidden);
        return;
      }
      for (const key of keys) {
        const d = docs.get(key);
        if (d !== undefined && visible(d)) yield self.liveDoc(d, hidden);
      }
    }
    return searchDocuments(candidates(), query);
  }

  private recTrack(t: Track): RecommendationTrack {
    const d = this.s.docs.get(k2('track', t.id));
    return {
      id: t.id,
      name: t.name,
      artistIds: t.artistIds,
      genres: d?.genres ?? [],
      explicit: t.explicit,
      plays: this.s.stats.get(k2('track', t.id))?.plays ?? 0,
    };
  }

  async recommend(options: StoreRecommendOptions): Promise<Recommendation[]> {
    const { userId, favouriteGenres = [], ...tuning } = options;
    const history: { track: RecommendationTrack; count: number }[] = [];
    for (const [key, ut] of this.s.userTrack) {
      const [u, trackId] = key.split('\u0000') as [string, string];
      if (u !== userId) continue;
      const t = this.s.tracks.get(trackId);
      if (t) history.push({ track: this.recTrack(t), count: ut.count });
    }
    history.sort((a, b) => byCodeUnits(a.track.id, b.track.id));
    const liked = (await this.listLikes(userId)).map((l) => l.trackId).sort(byCodeUnits);
    const seeds = candidateSeeds(history, liked, favouriteGenres);
    const artistSet = new Set(seeds.artists);
    const genreSet = new Set(seeds.genres);
    const heard = new Set([...liked, ...history.map((h) => h.track.id)]);
    const candidates: RecommendationTrack[] = [];
    for (const t of this.s.tracks.values()) {
      if (t.visibility !== 'public' || heard.has(t.id)) continue;
      const rt = this.recTrack(t);
      if (artistSet.has(t.artistIds[0] ?? '') || rt.genres.some((g) => genreSet.has(g)))
        candidates.push(rt);
    }
    candidates.sort(compareCandidates);
    const artistNames = new Map<string, string>();
    for (const a of this.s.artists.values()) artistNames.set(a.id, a.name);
    return recommend(
      {
        history,
        likedTrackIds: liked,
        favouriteGenres: seeds.favouriteGenres,
        candidates: candidates.slice(0, MAX_CANDIDATES),
        artistNames,
      },
      tuning,
    );
  }

  /** The memory store never defers (its counters cost little per play): nothing to fold. */
  async foldDeferredAggregates(): Promise<FoldPlaysResult> {
    return { folded: 0 };
  }

  async rebuildAggregates(): Promise<RebuildAggregatesResult> {
    const s = this.s;
    s.userTrack = new Map();
    s.trending = new MemoryTrending();
    for (const st of s.stats.values()) st.plays = 0;
    for (const p of s.plays) this.countPlay(p);
    return { plays: s.plays.length };
  }

  async deleteTracks(trackIds: readonly string[]): Promise<DeleteTracksResult> {
    const ids = deleteTrackIds(trackIds);
    return this.transaction(async () => {
      const s = this.s;
      const wanted = new Set(ids.filter((id) => s.tracks.has(id)));
      const reasons = new Map<KeptTrackReason, Set<string>>([
        ['played', new Set()],
        ['liked', new Set()],
        ['favourite', new Set()],
        ['in-playlist', new Set()],
      ]);
      const mark = (reason: KeptTrackReason, id: string | null) => {
        if (id !== null && wanted.has(id)) reasons.get(reason)?.add(id);
      };
      for (const p of s.plays) mark('played', p.trackId);
      for (const l of s.likes.values()) mark('liked', l.trackId);
      for (const f of s.favourites.values()) if (f.kind === 'track') mark('favourite', f.targetId);
      for (const pl of s.playlists.values())
        for (const item of pl.items) mark('in-playlist', item.trackId);
      const deleted = new Set<string>();
      for (const id of wanted) {
        if ([...reasons.values()].some((set) => set.has(id))) continue;
        s.tracks.delete(id);
        this.deleteDoc(k2('track', id));
        s.stats.delete(k2('track', id));
        deleted.add(id);
      }
      return deleteTracksResult(ids, reasons, deleted);
    });
  }

  async transaction<T>(fn: (tx: CatalogStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    const release = await this.holder.mutex.lock();
    const backup = cloneState(this.holder.state);
    try {
      return await fn(new MemoryCatalogStore(this.holder, true));
    } catch (error) {
      this.holder.state = backup;
      throw error;
    } finally {
      release();
    }
  }

  async close(): Promise<void> {}
}
