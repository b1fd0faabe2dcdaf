import type { Album } from '../domain/album.js';
import type { Favourite, Follow, Like, TrackAnnotation } from '../domain/annotations.js';
import type { Artist } from '../domain/artist.js';
import type { Genre } from '../domain/genre.js';
import type { Subscription } from '../domain/plan.js';
import type { Play } from '../domain/play.js';
import type { Playlist } from '../domain/playlist.js';
import type { Track } from '../domain/track.js';
import type { User } from '../domain/user.js';
import type { ItemStats, ItemStatsOptions } from '../logic/item-stats.js';
import type { ListTracksOptions, RandomTracksOptions, TrackPage } from '../logic/listing.js';
import type { Recommendation, RecommendOptions } from '../logic/recommend.js';
import type { SearchQuery, SearchResult } from '../logic/search.js';
import type { TrendingEntry, TrendingOptions } from '../logic/trending.js';
import type { IteratePlaysOptions, RecentPlaysOptions, RecentPlaysPage } from './play-reads.js';

/**
 * The outcome of {@link CatalogStore.appendPlays}.
 *
 * @example
 * ```ts
 * const { inserted, duplicates } = await store.appendPlays(plays);
 * ```
 */
export interface AppendPlaysResult {
  /** Plays newly written. */
  readonly inserted: number;
  /** Plays ignored because their `playKey` was already stored (or repeated in the batch). */
  readonly duplicates: number;
}

/**
 * Options of {@link CatalogStore.appendPlays}.
 *
 * @example
 * ```ts
 * await store.appendPlays(batch, { deferAggregates: true }); // each batch of an import
 * await store.foldDeferredAggregates?.(); // once, at its end
 * ```
 */
export interface AppendPlaysOptions {
  /**
   * Write the plays only and leave their counters and aggregates to the next
   * {@link CatalogStore.foldDeferredAggregates} (bulk imports: the aggregates are then grouped
   * once for the whole import instead of once per batch). Until that fold, counters, item stats
   * and trending leave these plays out. A store without deferral (the memory store) folds at
   * once. Default `false`.
   */
  readonly deferAggregates?: boolean | undefined;
}

/**
 * The outcome of {@link CatalogStore.foldDeferredAggregates}.
 *
 * @example
 * ```ts
 * const { folded } = (await store.foldDeferredAggregates?.()) ?? { folded: 0 };
 * ```
 */
export interface FoldPlaysResult {
  /** Plays whose counters and aggregates this call folded. */
  readonly folded: number;
}

/**
 * The outcome of {@link CatalogStore.rebuildAggregates}.
 *
 * @example
 * ```ts
 * const { plays } = (await store.rebuildAggregates?.()) ?? { plays: 0 };
 * ```
 */
export interface RebuildAggregatesResult {
  /** Plays in the log the aggregates were recomputed from. */
  readonly plays: number;
}

/**
 * Why {@link CatalogStore.deleteTracks} kept a track: it has plays (`played`), a like (`liked`),
 * a favourite (`favourite`) or is an item of a playlist (`in-playlist`), by any listener. When
 * several apply, the first in that order is reported.
 */
export type KeptTrackReason = 'played' | 'liked' | 'favourite' | 'in-playlist';

/**
 * The outcome of {@link CatalogStore.deleteTracks}.
 *
 * @example
 * ```ts
 * const { deleted, kept } = await store.deleteTracks(['t1', 't2']);
 * for (const k of kept) console.log(`${k.id} kept: ${k.reason}`);
 * ```
 */
export interface DeleteTracksResult {
  /** Ids of the tracks removed, in the order first requested. */
  readonly deleted: string[];
  /** Tracks asked for but kept because something still references them, in request order. */
  readonly kept: { readonly id: string; readonly reason: KeptTrackReason }[];
}

/**
 * Filter of {@link CatalogStore.listPlays}.
 *
 * @example
 * ```ts
 * await store.listPlays({ userId: 'u1', from: Date.now() - 86_400_000, limit: 100 } satisfies ListPlaysOptions);
 * ```
 */
export interface ListPlaysOptions {
  readonly userId: string;
  /** Inclusive lower bound on `endedAt` (Unix ms). */
  readonly from?: number;
  /** Exclusive upper bound on `endedAt` (Unix ms). */
  readonly to?: number;
  readonly limit?: number;
}

/**
 * Options of {@link CatalogStore.recommend}.
 *
 * @example
 * ```ts
 * await store.recommend({ userId: 'u1', favouriteGenres: ['jazz'], limit: 10 } satisfies StoreRecommendOptions);
 * ```
 */
export interface StoreRecommendOptions extends RecommendOptions {
  readonly userId: string;
  /** Genres the listener marked as favourites (genre ids or names). */
  readonly favouriteGenres?: readonly string[];
}

/**
 * Persistence of the catalog, the play log and per-user annotations.
 *
 * Guarantees, identical in every implementation:
 * - every `upsert*` is idempotent (insert or replace by id);
 * - plays are an append-only log keyed by `playKey`: duplicates are ignored, nothing deletes plays
 *   (and `deleteTracks` never deletes a track that has plays);
 * - per-user counters (play count, last played) and global counters (plays, likes per track,
 *   album and primary artist) change in the same transaction as the play or like that causes them,
 *   and so do the SQL store's trending aggregates (plays and decay sums per day and all-time),
 *   which `rebuildAggregates` can recompute from the log;
 * - `trending`, `search` and `recommend` answer identically in every implementation (scores up to
 *   floating-point rounding);
 * - `transaction(fn)` runs `fn` atomically: if it throws, nothing it wrote remains.
 *
 * @example
 * ```ts
 * const store: CatalogStore = await createPgliteStore();
 * await store.transaction(async (tx) => {
 *   await tx.upsertTracks(tracks);
 *   await tx.appendPlays(plays);
 * });
 * ```
 */
export interface CatalogStore {
  /** Which backend this is. */
  readonly backend: 'memory' | 'pglite' | 'postgres';

  /** Inserts or replaces artists by id. */
  upsertArtists(artists: readonly Artist[]): Promise<void>;
  /** Inserts or replaces albums by id (upsert artists first so genres and names are indexed). */
  upsertAlbums(albums: readonly Album[]): Promise<void>;
  /** Inserts or replaces tracks by id (upsert their artists and album first). */
  upsertTracks(tracks: readonly Track[]): Promise<void>;
  /** Inserts or replaces users by id. */
  upsertUsers(users: readonly User[]): Promise<void>;
  /** Inserts or replaces playlists (and their whole item list) by id. */
  upsertPlaylists(playlists: readonly Playlist[]): Promise<void>;
  /** Inserts or replaces subscriptions by id. */
  upsertSubscriptions(subscriptions: readonly Subscription[]): Promise<void>;

  /** An artist by id, or null. */
  getArtist(id: string): Promise<Artist | null>;
  /** An album by id, or null. */
  getAlbum(id: string): Promise<Album | null>;
  /** A track by id, or null. */
  getTrack(id: string): Promise<Track | null>;
  /** A user by id, or null. */
  getUser(id: string): Promise<User | null>;
  /** A playlist with its items in order, or null. */
  getPlaylist(id: string): Promise<Playlist | null>;
  /** A subscription by id, or null. */
  getSubscription(id: string): Promise<Subscription | null>;
  /** Every genre named by an artist or album, sorted by id. */
  listGenres(): Promise<Genre[]>;

  /**
   * Appends plays to the log, ignoring duplicates by `playKey` (already stored, or repeated in
   * `plays`), and updates the counters and aggregates derived from the log. Any number of plays
   * per call: they are written in multi-row chunks inside one transaction (the caller's, when
   * called on a transaction), so bigger batches import faster. With `deferAggregates`, the
   * counters and aggregates of the new plays wait for {@link foldDeferredAggregates}.
   */
  appendPlays(plays: readonly Play[], options?: AppendPlaysOptions): Promise<AppendPlaysResult>;
  /**
   * Folds the plays appended with `deferAggregates` into the counters and aggregates, in one
   * transaction (the caller's, when called on a transaction), and returns how many. Each such
   * play is folded exactly once, whoever folds and however often: safe to repeat, and plays
   * appended meanwhile by other writers are counted as usual. Optional so that other
   * implementations of this interface stay valid; both built-in stores have it.
   *
   * @example
   * ```ts
   * await store.foldDeferredAggregates?.(); // { folded: 500000 }
   * ```
   */
  foldDeferredAggregates?(): Promise<FoldPlaysResult>;
  /** A listener's plays by `endedAt` ascending (ties by track id). */
  listPlays(options: ListPlaysOptions): Promise<Play[]>;
  /**
   * A listener's plays by `endedAt` ascending (ties in the order they were stored), in pages of
   * `pageSize` read one at a time: each SQL page is one keyset query, so a long history is never
   * held at once. `fields: 'stats'` reads only what listening statistics use (see
   * {@link IteratePlaysOptions}). Invalid options reject the first `next()` with `CatalogError`
   * (`INVALID_INPUT`).
   *
   * @example
   * ```ts
   * for await (const page of store.iteratePlays({ userId: 'u1', fields: 'stats' })) index.addAll(page);
   * ```
   */
  iteratePlays(options: IteratePlaysOptions): AsyncIterable<Play[]>;
  /**
   * A page of a listener's plays, newest first (ties: last stored first), optionally filtered by
   * artist or track name (case-insensitive substring) and time; pass `next` as `before` for the
   * following page. A deep page costs what the first does (keyset, not offset). Throws
   * `CatalogError` (`INVALID_INPUT`) on invalid options or a cursor it did not make.
   *
   * @example
   * ```ts
   * const { plays, next } = await store.listRecentPlays({ userId: 'u1', artist: 'björk', limit: 50 });
   * ```
   */
  listRecentPlays(options: RecentPlaysOptions): Promise<RecentPlaysPage>;
  /** Number of plays in the log. */
  countPlays(): Promise<number>;

  /** Likes a track (idempotent: the first `likedAt` is kept). */
  like(like: Like): Promise<void>;
  /** Removes a like (no-op when absent). */
  unlike(userId: string, trackId: string): Promise<void>;
  /** A listener's likes, newest first (ties by track id). */
  listLikes(userId: string): Promise<Like[]>;
  /** Marks a favourite (idempotent). */
  addFavourite(favourite: Favourite): Promise<void>;
  /** Removes a favourite (no-op when absent). */
  removeFavourite(userId: string, kind: Favourite['kind'], targetId: string): Promise<void>;
  /** A listener's favourites, ordered by kind then target id. */
  listFavourites(userId: string): Promise<Favourite[]>;
  /** Follows an artist (idempotent). */
  follow(follow: Follow): Promise<void>;
  /** Unfollows an artist (no-op when absent). */
  unfollow(userId: string, artistId: string): Promise<void>;
  /** The artists a user follows, ordered by artist id. */
  listFollows(userId: string): Promise<Follow[]>;
  /** Counters and flags of one track for one listener. */
  getAnnotation(userId: string, trackId: string): Promise<TrackAnnotation>;

  /**
   * Ranks tracks, albums or artists (see `rankTrending` for the formula). Track rankings leave
   * out private tracks other than the viewer's own (`viewerArtistId`).
   */
  trending(options: TrendingOptions): Promise<TrendingEntry[]>;
  /**
   * Full-text search (see `searchDocuments`). Private tracks are found only by their owner
   * (`viewerArtistId`).
   */
  search(query: SearchQuery): Promise<SearchResult>;
  /** Recommendations for a listener (see `recommend`); never a private track. */
  recommend(options: StoreRecommendOptions): Promise<Recommendation[]>;
  /**
   * A page of tracks: an album's, an artist's or all of them (see {@link ListTracksOptions});
   * private tracks only for their owner (`viewerArtistId`). Throws `CatalogError`
   * (`INVALID_INPUT`) on bad options.
   *
   * @example
   * ```ts
   * const { total, tracks } = await store.listTracks({ albumId: 'al1', viewerArtistId: null });
   * ```
   */
  listTracks(options: ListTracksOptions): Promise<TrackPage>;
  /**
   * Up to `count` tracks drawn at random without repeats (see {@link RandomTracksOptions});
   * private tracks only for their owner (`viewerArtistId`).
   *
   * @example
   * ```ts
   * const tracks = await store.randomTracks({ count: 5, genre: 'rock' });
   * ```
   */
  randomTracks(options: RandomTracksOptions): Promise<Track[]>;
  /**
   * Plays, likes, distinct listeners and most played tracks of an artist (as primary artist) or
   * an album, counted over the tracks the viewer may see (see {@link ItemStatsOptions}): a
   * private track counts for its owner only. Unknown ids answer zeros. Throws `CatalogError`
   * (`INVALID_INPUT`) on bad options.
   *
   * @example
   * ```ts
   * const { plays, listeners, topTracks } = await store.itemStats({ kind: 'artist', id: 'a1', viewerArtistId: null });
   * ```
   */
  itemStats(options: ItemStatsOptions): Promise<ItemStats>;

  /**
   * Recomputes everything derived from the play log (per-listener play counts and last played,
   * per-item play counters and, in the SQL store, the trending aggregates) from the log itself, in
   * one transaction. Normal writes keep these in step already; this repairs a database edited by
   * hand. Optional so that other implementations of this interface stay valid; both built-in
   * stores have it.
   *
   * @example
   * ```ts
   * await store.rebuildAggregates?.(); // { plays: 1000000 }
   * ```
   */
  rebuildAggregates?(): Promise<RebuildAggregatesResult>;

  /**
   * Deletes tracks nothing refers to any more, in one transaction (the caller's, when called on a
   * transaction). A track that has plays, a like, a favourite or a playlist item (by any listener)
   * is never deleted: it is reported in `kept` with the reason. With a track go the rows derived
   * only from it (its search document and postings, its item counters and trending totals);
   * albums and artists stay. Unknown ids, and repeats, are ignored, so the call is idempotent.
   * Throws `CatalogError` (`INVALID_INPUT`) when `trackIds` is not a list of strings.
   *
   * @example
   * ```ts
   * const { deleted, kept } = await store.deleteTracks(['t-unsaved', 't-played']);
   * // deleted: ['t-unsaved'], kept: [{ id: 't-played', reason: 'played' }]
   * ```
   */
  deleteTracks(trackIds: readonly string[]): Promise<DeleteTracksResult>;

  /** Runs `fn` in a transaction; nested calls join the outer transaction. */
  transaction<T>(fn: (tx: CatalogStore) => Promise<T>): Promise<T>;
  /** Releases resources (closes the database). */
  close(): Promise<void>;
}
