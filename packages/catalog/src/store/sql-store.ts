import type { Album } from '../domain/album.js';
import type { Favourite, Follow, Like, TrackAnnotation } from '../domain/annotations.js';
import type { Artist } from '../domain/artist.js';
import type { Genre } from '../domain/genre.js';
import type { Subscription } from '../domain/plan.js';
import type { Play } from '../domain/play.js';
import type { Playlist } from '../domain/playlist.js';
import type { Track } from '../domain/track.js';
import type { User } from '../domain/user.js';
import { CatalogError } from '../errors/catalog-error.js';
import { deleteTrackIds } from '../internal/delete-tracks.js';
import { parseOptions } from '../internal/parse-options.js';
import { SharedRowWrites } from '../internal/shared-row-writes.js';
import {
  deleteFavourite,
  deleteFollow,
  deleteLike,
  readAnnotation,
  readFavourites,
  readFollows,
  readLikes,
  writeFavourite,
  writeFollow,
  writeLike,
} from '../internal/sql-annotations.js';
import { type Db, type TrackRow, lastById, textC, toTrack } from '../internal/sql-common.js';
import { canCopy } from '../internal/sql-copy.js';
import { deleteTracksSql } from '../internal/sql-delete-tracks.js';
import { sqlItemStats } from '../internal/sql-item-stats.js';
import {
  albumsById,
  artistsById,
  readDataRow,
  readPlaylist,
  writeAlbums,
  writeArtists,
  writeDataRows,
  writePlaylists,
  writeTracks,
} from '../internal/sql-library.js';
import { listTrackRows, randomTrackRows } from '../internal/sql-listings.js';
import { iterateSqlPlays, listSqlRecentPlays } from '../internal/sql-play-reads.js';
import {
  countAllPlays,
  foldPlays,
  playBatch,
  readPlays,
  rebuildPlayAggregates,
  writePlays,
} from '../internal/sql-plays.js';
import { recommendSql } from '../internal/sql-recommend.js';
import { searchSql } from '../internal/sql-search.js';
import { writeShared } from '../internal/sql-search-writes.js';
import { type StatsGroup, type TableGrowth, refreshStats } from '../internal/sql-stats-refresh.js';
import { trendingSql } from '../internal/sql-trending.js';
import {
  type ItemStats,
  type ItemStatsOptions,
  itemStatsOptionsSchema,
} from '../logic/item-stats.js';
import {
  type ListTracksOptions,
  type RandomTracksOptions,
  type TrackPage,
  listTracksOptionsSchema,
  randomTracksOptionsSchema,
} from '../logic/listing.js';
import type { Recommendation } from '../logic/recommend.js';
import {
  type SearchQuery,
  type SearchResult,
  searchQuerySchema,
  searchTerms,
} from '../logic/search.js';
import {
  type TrendingEntry,
  type TrendingOptions,
  trendingOptionsSchema,
} from '../logic/trending.js';
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
import {
  type IteratePlaysOptions,
  type RecentPlaysOptions,
  type RecentPlaysPage,
  parseIteratePlays,
  parseRecentPlays,
} from './play-reads.js';

/** The database handle plus what only the root store owns. */
interface Root {
  readonly destroy: () => Promise<void>;
  /** Rows written per table since its last ANALYZE, and its size then. */
  readonly growth: TableGrowth;
}

/**
 * The SQL {@link CatalogStore} shared by the PGlite and PostgreSQL backends: the same Kysely
 * queries run on both. Made by `createPgliteStore` / `createPostgresStore`.
 *
 * A thin facade: each concern lives in its own module of functions taking the database handle
 * (`src/internal/sql-*.ts`); the class owns transactions, the shared rows written at their end,
 * and the planner statistics kept fresh after bulk writes.
 */
export class SqlCatalogStore implements CatalogStore {
  /** @internal */
  constructor(
    readonly backend: 'pglite' | 'postgres',
    private readonly db: Db,
    private readonly root: Root | null,
    /** Inside `transaction()`: its writes to shared rows, written when `fn` returns. */
    private readonly shared: SharedRowWrites | null = null,
    /** Plays travel by COPY (`pg` connections opened by the store, see `canCopy`). */
    private readonly copy = canCopy(db),
  ) {}

  /** Runs `fn` atomically: joins the current transaction, or opens one. */
  private atomic<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this.db);
    return this.db.transaction().execute(fn);
  }

  /** Analyses the tables of `group` once bulk writes outside a transaction made them stale. */
  private async refreshStats(group: StatsGroup, rows: number): Promise<void> {
    if (this.root === null || this.db.isTransaction) return;
    await refreshStats(this.db, this.backend, this.root.growth, group, rows);
  }

  /**
   * Runs writes atomically. What they write to shared rows (search vocabulary, like counters) is
   * written at the end of the surrounding `transaction()`, or of this call's own transaction:
   * once per transaction, after every entity row, so that each transaction takes those rows last
   * and sorted.
   */
  private async writeEntities(
    fn: (db: Db, shared: SharedRowWrites) => Promise<void>,
  ): Promise<void> {
    if (this.shared !== null) return fn(this.db, this.shared);
    await this.atomic(async (db) => {
      const shared = new SharedRowWrites(this.backend === 'pglite');
      await fn(db, shared);
      await writeShared(db, shared);
    });
  }

  /** Writes the pending shared rows now (reads inside a transaction see what it wrote). */
  private async flushShared(): Promise<void> {
    if (this.shared !== null) await writeShared(this.db, this.shared);
  }

  /** Upserts catalog entities (last per id wins) with their search documents. */
  private async upsertEntities<T extends { readonly id: string }>(
    group: 'artists' | 'albums' | 'tracks',
    input: readonly T[],
    write: (db: Db, items: readonly T[], shared: SharedRowWrites) => Promise<void>,
  ): Promise<void> {
    const items = lastById(input, (x) => x.id);
    if (items.length === 0) return;
    await this.writeEntities((db, shared) => write(db, items, shared));
    await this.refreshStats(group, items.length);
  }

  // ---- library ----------------------------------------------------------------------------

  async upsertArtists(input: readonly Artist[]): Promise<void> {
    await this.upsertEntities('artists', input, writeArtists);
  }

  async upsertAlbums(input: readonly Album[]): Promise<void> {
    await this.upsertEntities('albums', input, writeAlbums);
  }

  async upsertTracks(input: readonly Track[]): Promise<void> {
    await this.upsertEntities('tracks', input, writeTracks);
  }

  private async upsertData(
    table: 'catalog_users' | 'catalog_subscriptions',
    items: readonly { readonly id: string }[],
  ): Promise<void> {
    const rows = lastById(items, (x) => x.id);
    if (rows.length === 0) return;
    await this.atomic((db) => writeDataRows(db, table, rows));
  }

  async upsertUsers(users: readonly User[]): Promise<void> {
    await this.upsertData('catalog_users', users);
  }

  async upsertSubscriptions(subscriptions: readonly Subscription[]): Promise<void> {
    await this.upsertData('catalog_subscriptions', subscriptions);
  }

  async upsertPlaylists(input: readonly Playlist[]): Promise<void> {
    const playlists = lastById(input, (p) => p.id);
    if (playlists.length === 0) return;
    await this.atomic((db) => writePlaylists(db, playlists));
  }

  async getArtist(id: string): Promise<Artist | null> {
    return (await artistsById(this.db, [id])).get(id) ?? null;
  }

  async getAlbum(id: string): Promise<Album | null> {
    return (await albumsById(this.db, [id])).get(id) ?? null;
  }

  async getTrack(id: string): Promise<Track | null> {
    const row = await this.db
      .selectFrom('catalog_tracks')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : toTrack(row);
  }

  async getUser(id: string): Promise<User | null> {
    return readDataRow<User>(this.db, 'catalog_users', id);
  }

  async getSubscription(id: string): Promise<Subscription | null> {
    return readDataRow<Subscription>(this.db, 'catalog_subscriptions', id);
  }

  async getPlaylist(id: string): Promise<Playlist | null> {
    return readPlaylist(this.db, id);
  }

  async listGenres(): Promise<Genre[]> {
    await this.flushShared();
    const rows = await this.db
      .selectFrom('catalog_search_docs')
      .select(['id', 'name'])
      .where('kind', '=', 'genre')
      .orderBy(textC('id'))
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name }));
  }

  // ---- plays and aggregates ---------------------------------------------------------------

  async appendPlays(
    plays: readonly Play[],
    options: AppendPlaysOptions = {},
  ): Promise<AppendPlaysResult> {
    const { batch, latest } = playBatch(plays);
    if (batch.size === 0) return { inserted: 0, duplicates: plays.length };
    const defer = options.deferAggregates === true;
    // PGlite runs one statement at a time: nothing else writes while a statement runs.
    const exclusive = this.backend === 'pglite';
    const result = await this.atomic((db) =>
      writePlays(db, plays, batch, latest, defer, exclusive, this.copy),
    );
    // Deferred writes leave the statistics to the fold: nothing in a bulk import reads them.
    if (!defer) await this.refreshStats('plays', result.inserted);
    return result;
  }

  /**
   * Folds the plays appended with `deferAggregates` into the counters and trending aggregates:
   * one set-based statement that empties `catalog_plays_unfolded` and writes each aggregate row
   * once, however many batches wrote them.
   */
  async foldDeferredAggregates(): Promise<FoldPlaysResult> {
    const exclusive = this.backend === 'pglite';
    const result = await this.atomic((db) => foldPlays(db, { exclusive }));
    await this.refreshStats('plays', result.folded);
    return result;
  }

  /**
   * Recomputes every aggregate derived from the play log (per-listener play counts and last
   * played, per-item play counters, both trending aggregates) from the log itself, in one
   * transaction. The incremental maintenance keeps them equal already; this is the repair tool
   * after manual edits of the database, and what migrations use.
   */
  async rebuildAggregates(): Promise<RebuildAggregatesResult> {
    return this.atomic(rebuildPlayAggregates);
  }

  async listPlays(options: ListPlaysOptions): Promise<Play[]> {
    return readPlays(this.db, options);
  }

  async *iteratePlays(options: IteratePlaysOptions): AsyncGenerator<Play[]> {
    // Options are checked on the first `next()`, as in the memory store.
    yield* iterateSqlPlays(this.db, parseIteratePlays(options));
  }

  async listRecentPlays(options: RecentPlaysOptions): Promise<RecentPlaysPage> {
    return listSqlRecentPlays(this.db, parseRecentPlays(options));
  }

  async countPlays(): Promise<number> {
    return countAllPlays(this.db);
  }

  // ---- annotations ------------------------------------------------------------------------

  async like(like: Like): Promise<void> {
    await this.writeEntities((db, shared) => writeLike(db, like, shared));
  }

  async unlike(userId: string, trackId: string): Promise<void> {
    await this.writeEntities((db, shared) => deleteLike(db, userId, trackId, shared));
  }

  async listLikes(userId: string): Promise<Like[]> {
    return readLikes(this.db, userId);
  }

  async addFavourite(f: Favourite): Promise<void> {
    await writeFavourite(this.db, f);
  }

  async removeFavourite(userId: string, kind: Favourite['kind'], targetId: string): Promise<void> {
    await deleteFavourite(this.db, userId, kind, targetId);
  }

  async listFavourites(userId: string): Promise<Favourite[]> {
    return readFavourites(this.db, userId);
  }

  async follow(f: Follow): Promise<void> {
    await writeFollow(this.db, f);
  }

  async unfollow(userId: string, artistId: string): Promise<void> {
    await deleteFollow(this.db, userId, artistId);
  }

  async listFollows(userId: string): Promise<Follow[]> {
    return readFollows(this.db, userId);
  }

  async getAnnotation(userId: string, trackId: string): Promise<TrackAnnotation> {
    return readAnnotation(this.db, userId, trackId);
  }

  // ---- queries ----------------------------------------------------------------------------

  /**
   * Trending in SQL (see `trendingSql`): from the aggregates with the default half-life, from the
   * play log with any other; the formula of `rankTrending` either way.
   */
  async trending(options: TrendingOptions): Promise<TrendingEntry[]> {
    return trendingSql(this.db, parseOptions(trendingOptionsSchema, options, 'trending options'));
  }

  /** Search ranked and paged in SQL (see `searchSql`): the same hits as `searchDocuments`. */
  async search(query: SearchQuery): Promise<SearchResult> {
    const q = parseOptions(searchQuerySchema, query, 'search query');
    await this.flushShared();
    return searchSql(this.db, q, searchTerms(q.text));
  }

  async listTracks(options: ListTracksOptions): Promise<TrackPage> {
    const o = parseOptions(listTracksOptionsSchema, options, 'listTracks options');
    const { total, rows } = await listTrackRows(this.db, o);
    return { total, tracks: rows.map((r) => toTrack(r as TrackRow)) };
  }

  async randomTracks(options: RandomTracksOptions): Promise<Track[]> {
    const o = parseOptions(randomTracksOptionsSchema, options, 'randomTracks options');
    const rows = await randomTrackRows(this.db, o);
    return rows.map((r) => toTrack(r as unknown as TrackRow));
  }

  async itemStats(options: ItemStatsOptions): Promise<ItemStats> {
    return sqlItemStats(
      this.db,
      parseOptions(itemStatsOptionsSchema, options, 'itemStats options'),
    );
  }

  async recommend(options: StoreRecommendOptions): Promise<Recommendation[]> {
    await this.flushShared();
    return recommendSql(this.db, options);
  }

  // ---- deletion ---------------------------------------------------------------------------

  async deleteTracks(trackIds: readonly string[]): Promise<DeleteTracksResult> {
    const ids = deleteTrackIds(trackIds);
    if (ids.length === 0) return { deleted: [], kept: [] };
    return this.atomic((db) => deleteTracksSql(db, ids));
  }

  // ---- lifecycle --------------------------------------------------------------------------

  async transaction<T>(fn: (tx: CatalogStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    return this.db.transaction().execute(async (trx) => {
      const shared = new SharedRowWrites(this.backend === 'pglite');
      const result = await fn(new SqlCatalogStore(this.backend, trx, null, shared, this.copy));
      await writeShared(trx, shared);
      return result;
    });
  }

  async close(): Promise<void> {
    if (this.root === null) {
      throw new CatalogError({
        code: 'INVALID_INPUT',
        message: 'close() is not available inside a transaction',
      });
    }
    await this.root.destroy();
  }
}
