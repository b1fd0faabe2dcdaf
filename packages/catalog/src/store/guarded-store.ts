import { type Album, albumSchema } from '../domain/album.js';
import {
  type Favourite,
  type Follow,
  type Like,
  type TrackAnnotation,
  favouriteSchema,
  followSchema,
  likeSchema,
} from '../domain/annotations.js';
import { type Artist, artistSchema } from '../domain/artist.js';
import type { Genre } from '../domain/genre.js';
import { type Subscription, subscriptionSchema } from '../domain/plan.js';
import { type Play, playSchema } from '../domain/play.js';
import { type Playlist, playlistSchema } from '../domain/playlist.js';
import { type Track, trackSchema } from '../domain/track.js';
import { type User, userSchema } from '../domain/user.js';
import { z } from 'zod';
import { CatalogError } from '../errors/catalog-error.js';
import { cleanInput, cleanList, cleanText, isStorableText } from '../internal/clean-text.js';
import { parseOptions } from '../internal/parse-options.js';
import type { ItemStats, ItemStatsOptions } from '../logic/item-stats.js';
import type { ListTracksOptions, RandomTracksOptions, TrackPage } from '../logic/listing.js';
import type { Recommendation } from '../logic/recommend.js';
import type { SearchQuery, SearchResult } from '../logic/search.js';
import type { TrendingEntry, TrendingOptions } from '../logic/trending.js';
import type {
  AppendPlaysOptions,
  AppendPlaysResult,
  CatalogStore,
  DeleteTracksResult,
  FoldPlaysResult,
  ListPlaysOptions,
  RebuildAggregatesResult,
  StoreRecommendOptions,
} from './catalog-store.js';
import type { IteratePlaysOptions, RecentPlaysOptions, RecentPlaysPage } from './play-reads.js';

const appendPlaysOptionsSchema = z
  .object({ deferAggregates: z.boolean().optional() })
  .strict()
  .optional();

/** Whether every given identifier could be stored (non-strings are left to the store to refuse). */
const storable = (...ids: unknown[]) =>
  ids.every((id) => typeof id !== 'string' || isStorableText(id));

/** A viewer id no store can hold owns nothing: it sees what anonymous viewers see. */
/**
 * `item` checked against its domain schema (a `CatalogError` `INVALID_INPUT` naming the wrong
 * fields, before anything is written), then with its text made storable (see `cleanInput`). The
 * item passes on as given, not as parsed.
 */
function checked<T>(schema: z.ZodType, item: T, what: string): T {
  parseOptions(schema, item, what);
  return cleanInput(item, what);
}

/** Every item of `items` {@link checked} (`what[i]` names the wrong one); a list, or refused. */
function checkedList<T>(schema: z.ZodType, items: readonly T[], what: string): readonly T[] {
  if (!Array.isArray(items)) {
    throw new CatalogError({ code: 'INVALID_INPUT', message: `Invalid ${what}: expected a list` });
  }
  for (let i = 0; i < items.length; i++) parseOptions(schema, items[i], `${what}[${i}]`);
  return cleanList(items, what);
}

function withStorableViewer<T>(options: T): T {
  const viewer = (options as { viewerArtistId?: unknown } | null | undefined)?.viewerArtistId;
  return typeof viewer === 'string' && !isStorableText(viewer)
    ? { ...options, viewerArtistId: null }
    : options;
}

/**
 * The input rules every store shares, in one place in front of each implementation: text that
 * no store can keep (NUL, lone surrogates) is replaced in names and refused in identifiers with a
 * `CatalogError` naming the field (see `cleanInput`); a read by an identifier that no store can
 * hold finds nothing, instead of reaching the database driver.
 */
export class GuardedStore implements CatalogStore {
  readonly rebuildAggregates?: () => Promise<RebuildAggregatesResult>;
  readonly foldDeferredAggregates?: () => Promise<FoldPlaysResult>;

  constructor(private readonly inner: CatalogStore) {
    const rebuild = inner.rebuildAggregates;
    if (rebuild !== undefined) this.rebuildAggregates = () => rebuild.call(inner);
    const fold = inner.foldDeferredAggregates;
    if (fold !== undefined) this.foldDeferredAggregates = () => fold.call(inner);
  }

  get backend(): CatalogStore['backend'] {
    return this.inner.backend;
  }

  async upsertArtists(artists: readonly Artist[]): Promise<void> {
    return this.inner.upsertArtists(checkedList(artistSchema, artists, 'artists'));
  }
  async upsertAlbums(albums: readonly Album[]): Promise<void> {
    return this.inner.upsertAlbums(checkedList(albumSchema, albums, 'albums'));
  }
  async upsertTracks(tracks: readonly Track[]): Promise<void> {
    return this.inner.upsertTracks(checkedList(trackSchema, tracks, 'tracks'));
  }
  async upsertUsers(users: readonly User[]): Promise<void> {
    return this.inner.upsertUsers(checkedList(userSchema, users, 'users'));
  }
  async upsertPlaylists(playlists: readonly Playlist[]): Promise<void> {
    return this.inner.upsertPlaylists(checkedList(playlistSchema, playlists, 'playlists'));
  }
  async upsertSubscriptions(subscriptions: readonly Subscription[]): Promise<void> {
    return this.inner.upsertSubscriptions(
      checkedList(subscriptionSchema, subscriptions, 'subscriptions'),
    );
  }

  async getArtist(id: string): Promise<Artist | null> {
    return storable(id) ? this.inner.getArtist(id) : null;
  }
  async getAlbum(id: string): Promise<Album | null> {
    return storable(id) ? this.inner.getAlbum(id) : null;
  }
  async getTrack(id: string): Promise<Track | null> {
    return storable(id) ? this.inner.getTrack(id) : null;
  }
  async getUser(id: string): Promise<User | null> {
    return storable(id) ? this.inner.getUser(id) : null;
  }
  async getPlaylist(id: string): Promise<Playlist | null> {
    return storable(id) ? this.inner.getPlaylist(id) : null;
  }
  async getSubscription(id: string): Promise<Subscription | null> {
    return storable(id) ? this.inner.getSubscription(id) : null;
  }
  async listGenres(): Promise<Genre[]> {
    return this.inner.listGenres();
  }

  async appendPlays(
    plays: readonly Play[],
    options?: AppendPlaysOptions,
  ): Promise<AppendPlaysResult> {
    const parsed = parseOptions(appendPlaysOptionsSchema, options, 'appendPlays options');
    return this.inner.appendPlays(checkedList(playSchema, plays, 'plays'), parsed ?? {});
  }
  async listPlays(options: ListPlaysOptions): Promise<Play[]> {
    return storable(options?.userId) ? this.inner.listPlays(options) : [];
  }
  iteratePlays(options: IteratePlaysOptions): AsyncIterable<Play[]> {
    if (!storable(options?.userId)) return (async function* () {})();
    return this.inner.iteratePlays(options);
  }
  async listRecentPlays(options: RecentPlaysOptions): Promise<RecentPlaysPage> {
    return storable(options?.userId)
      ? this.inner.listRecentPlays(options)
      : { plays: [], next: null };
  }
  async countPlays(): Promise<number> {
    return this.inner.countPlays();
  }

  async like(like: Like): Promise<void> {
    return this.inner.like(checked(likeSchema, like, 'like'));
  }
  async unlike(userId: string, trackId: string): Promise<void> {
    if (storable(userId, trackId)) await this.inner.unlike(userId, trackId);
  }
  async listLikes(userId: string): Promise<Like[]> {
    return storable(userId) ? this.inner.listLikes(userId) : [];
  }
  async addFavourite(favourite: Favourite): Promise<void> {
    return this.inner.addFavourite(checked(favouriteSchema, favourite, 'favourite'));
  }
  async removeFavourite(userId: string, kind: Favourite['kind'], targetId: string): Promise<void> {
    if (storable(userId, kind, targetId)) await this.inner.removeFavourite(userId, kind, targetId);
  }
  async listFavourites(userId: string): Promise<Favourite[]> {
    return storable(userId) ? this.inner.listFavourites(userId) : [];
  }
  async follow(follow: Follow): Promise<void> {
    return this.inner.follow(checked(followSchema, follow, 'follow'));
  }
  async unfollow(userId: string, artistId: string): Promise<void> {
    if (storable(userId, artistId)) await this.inner.unfollow(userId, artistId);
  }
  async listFollows(userId: string): Promise<Follow[]> {
    return storable(userId) ? this.inner.listFollows(userId) : [];
  }
  async getAnnotation(userId: string, trackId: string): Promise<TrackAnnotation> {
    if (storable(userId, trackId)) return this.inner.getAnnotation(userId, trackId);
    return { userId, trackId, playCount: 0, lastPlayedAt: null, liked: false, favourite: false };
  }

  async trending(options: TrendingOptions): Promise<TrendingEntry[]> {
    return this.inner.trending(withStorableViewer(options));
  }
  async search(query: SearchQuery): Promise<SearchResult> {
    const q = query as Partial<SearchQuery> | null | undefined;
    if (typeof q?.text !== 'string') return this.inner.search(query);
    const filters = [q.genre, q.artistId, q.albumId].filter((v) => typeof v === 'string');
    if (!storable(...filters)) return { total: 0, hits: [] };
    return this.inner.search({ ...withStorableViewer(query), text: cleanText(q.text) });
  }
  async listTracks(options: ListTracksOptions): Promise<TrackPage> {
    if (!storable(options?.albumId, options?.artistId)) return { total: 0, tracks: [] };
    return this.inner.listTracks(withStorableViewer(options));
  }
  async randomTracks(options: RandomTracksOptions): Promise<Track[]> {
    if (!storable(options?.genre)) return [];
    return this.inner.randomTracks(withStorableViewer(options));
  }
  async itemStats(options: ItemStatsOptions): Promise<ItemStats> {
    if (!storable(options?.id))
      return { tracks: 0, plays: 0, likes: 0, listeners: 0, topTracks: [] };
    return this.inner.itemStats(withStorableViewer(options));
  }
  async recommend(options: StoreRecommendOptions): Promise<Recommendation[]> {
    if (!storable(options?.userId)) return [];
    const genres = Array.isArray(options.favouriteGenres)
      ? options.favouriteGenres.map((g) => (typeof g === 'string' ? cleanText(g) : g))
      : undefined;
    return this.inner.recommend(
      genres === undefined ? options : { ...options, favouriteGenres: genres },
    );
  }

  async deleteTracks(trackIds: readonly string[]): Promise<DeleteTracksResult> {
    return this.inner.deleteTracks(
      Array.isArray(trackIds) ? trackIds.filter((id) => storable(id)) : trackIds,
    );
  }

  async transaction<T>(fn: (tx: CatalogStore) => Promise<T>): Promise<T> {
    return this.inner.transaction((tx) => fn(tx === this.inner ? this : new GuardedStore(tx)));
  }
  async close(): Promise<void> {
    return this.inner.close();
  }
}
