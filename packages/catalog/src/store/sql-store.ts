import { parseOptions } from '../internal/parse-options.js';
import { type Kysely, type RawBuilder, sql } from 'kysely';
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
import { deleteTrackIds, deleteTracksResult } from '../internal/delete-tracks.js';
import { SharedRowWrites, byCodeUnits } from '../internal/shared-row-writes.js';
import { iterateSqlPlays, listSqlRecentPlays } from '../internal/sql-play-reads.js';
import { appendPlayBatch } from '../internal/sql-play-writes.js';
import { MAX_CANDIDATES, candidateSeeds } from '../internal/recommend-plan.js';
import {
  type StaticDoc,
  albumDoc,
  artistDoc,
  genreDocs,
  trackDoc,
} from '../internal/search-docs.js';
import type { CatalogDatabase } from '../internal/sql-schema.js';
import { listTrackRows, randomTrackRows, visibleTrack } from '../internal/sql-listings.js';
import { searchSql } from '../internal/sql-search.js';
import { sqlItemStats } from '../internal/sql-item-stats.js';
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
import {
  DAY_MS,
  MIN_EXPONENT,
  REBASE_AFTER_HALF_LIVES,
  dayOf,
  planWindow,
} from '../internal/trending-aggregates.js';
import { rebuildTrendingStatements } from '../migrations/0002-offline-keys-and-trending-aggregates.js';
import { playKey } from '../logic/play-key.js';
import { type Recommendation, type RecommendationTrack, recommend } from '../logic/recommend.js';
import {
  type SearchQuery,
  type SearchResult,
  documentTerms,
  searchQuerySchema,
  searchTerms,
} from '../logic/search.js';
import {
  type TrendingEntry,
  type TrendingOptions,
  compareTrending,
  roundScore,
  trendingOptionsSchema,
  trendingRange,
} from '../logic/trending.js';
import type {
  AppendPlaysResult,
  CatalogStore,
  DeleteTracksResult,
  KeptTrackReason,
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

type Db = Kysely<CatalogDatabase>;

interface TrendingMeta {
  readonly ref: number;
  readonly halfLifeMs: number;
}

/** Most bound parameters one statement may carry (PostgreSQL allows 65535). */
const MAX_PARAMS = 30_000;

function chunks<T>(items: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Keeps the last item per key (a later upsert in the same batch wins, as in memory), sorted by
 * key: every multi-row write locks its rows in key order, so concurrent writers of overlapping
 * sets wait on each other instead of deadlocking.
 */
function lastById<T>(items: readonly T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return [...map.entries()].sort((a, b) => byCodeUnits(a[0], b[0])).map((e) => e[1]);
}

function jsonb(value: unknown): RawBuilder<string> {
  return sql<string>`${JSON.stringify(value)}::text::jsonb`;
}

function num(value: number | string | bigint): number {
  return Number(value);
}

function numOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : Number(value);
}

const textC = (column: string) => sql`${sql.ref(column)} collate "C"`;

/** Whether a value read from a jsonb column is a list of strings. */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

interface TrackRow {
  id: string;
  name: string;
  album_id: string | null;
  artist_ids: unknown;
  owner_artist_id: string | null;
  duration_ms: number;
  isrc: string | null;
  explicit: boolean;
  visibility: string;
  disc_number: number;
  track_number: number;
  added_at: number | string | bigint;
}

function toTrack(r: TrackRow): Track {
  return {
    id: r.id,
    name: r.name,
    albumId: r.album_id,
    artistIds: strings(r.artist_ids),
    ownerArtistId: r.owner_artist_id,
    durationMs: r.duration_ms,
    isrc: r.isrc,
    explicit: r.explicit,
    visibility: r.visibility === 'private' ? 'private' : 'public',
    discNumber: r.disc_number,
    trackNumber: r.track_number,
    addedAt: num(r.added_at),
  };
}

/** The database handle plus what only the root store owns. */
interface Root {
  readonly destroy: () => Promise<void>;
  /** Rows written per table since its last ANALYZE, and its size then. */
  readonly growth: Map<string, { pending: number; analyzed: number }>;
}

/** Tables whose planner statistics bulk writes invalidate. */
const STATS_TABLES = {
  artists: [
    'catalog_artists',
    'catalog_search_docs',
    'catalog_search_postings',
    'catalog_search_terms',
  ],
  albums: [
    'catalog_albums',
    'catalog_search_docs',
    'catalog_search_postings',
    'catalog_search_terms',
  ],
  tracks: [
    'catalog_tracks',
    'catalog_search_docs',
    'catalog_search_postings',
    'catalog_search_terms',
  ],
  plays: ['catalog_plays', 'catalog_user_track_stats', 'catalog_item_stats'],
} as const;

/**
 * The SQL {@link CatalogStore} shared by the PGlite and PostgreSQL backends: the same Kysely
 * queries run on both. Made by `createPgliteStore` / `createPostgresStore`.
 */
export class SqlCatalogStore implements CatalogStore {
  /** @internal */
  constructor(
    readonly backend: 'pglite' | 'postgres',
    private readonly db: Db,
    private readonly root: Root | null,
    /** Inside `transaction()`: its writes to shared rows, written when `fn` returns. */
    private readonly shared: SharedRowWrites | null = null,
  ) {}

  /** Runs `fn` atomically: joins the current transaction, or opens one. */
  private atomic<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this.db);
    return this.db.transaction().execute(fn);
  }

  /**
   * Keeps planner statistics and the visibility map (index-only scans) fresh after bulk writes
   * outside a transaction: a table is analysed (PGlite: vacuumed and analysed, it has no
   * autovacuum) once the rows written since its last ANALYZE reach its size then (at least
   * 1,000). Stale statistics turn joins into nested loops, and make the play log look tiny right
   * after a bulk import, so that a keyset page of `iteratePlays` sorts a listener's whole
   * history instead of reading the index in order. On PostgreSQL the play log is only analysed
   * (ANALYZE samples a fixed number of rows): vacuuming it is left to autovacuum, which would
   * cost the import more than the writes.
   */
  private async refreshStats(group: keyof typeof STATS_TABLES, rows: number): Promise<void> {
    if (this.root === null || this.db.isTransaction) return;
    for (const table of STATS_TABLES[group]) {
      const g = this.root.growth.get(table) ?? { pending: 0, analyzed: 0 };
      g.pending += rows;
      if (g.pending >= Math.max(1000, g.analyzed)) {
        // The play log is read by index-only scans (trending), which need the visibility map
        // that only VACUUM sets; the catalog tables need planner statistics only, and ANALYZE
        // samples instead of reading the whole table (shorter pauses in a poll).
        if (group === 'plays' && this.backend === 'pglite')
          await sql`vacuum (analyze) ${sql.table(table)}`.execute(this.db);
        else await sql`analyze ${sql.table(table)}`.execute(this.db);
        g.analyzed += g.pending;
        g.pending = 0;
      }
      this.root.growth.set(table, g);
    }
  }

  // ---- search documents -------------------------------------------------------------------

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
      const shared = new SharedRowWrites();
      await fn(db, shared);
      await this.writeShared(db, shared);
    });
  }

  /** Writes the pending shared rows now (reads inside a transaction see what it wrote). */
  private async flushShared(): Promise<void> {
    if (this.shared !== null) await this.writeShared(this.db, this.shared);
  }

  /** Upserts search documents of one kind (sorted by id) and replaces their postings. */
  private async writeDocs(
    db: Db,
    docs: readonly StaticDoc[],
    vocabulary: SharedRowWrites,
  ): Promise<void> {
    if (docs.length === 0) return;
    const sorted = [...docs].sort((a, b) => byCodeUnits(a.id, b.id));
    for (const part of chunks(sorted, 9)) {
      await db
        .insertInto('catalog_search_docs')
        .values(
          part.map((d) => ({
            kind: d.kind,
            id: d.id,
            name: d.name,
            search_text: d.searchText,
            genres: jsonb(d.genres),
            artist_ids: jsonb(d.artistIds),
            album_id: d.albumId,
            released_at: d.releasedAt,
            added_at: d.addedAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['kind', 'id']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            search_text: eb.ref('excluded.search_text'),
            genres: eb.ref('excluded.genres'),
            artist_ids: eb.ref('excluded.artist_ids'),
            album_id: eb.ref('excluded.album_id'),
            released_at: eb.ref('excluded.released_at'),
            added_at: eb.ref('excluded.added_at'),
          })),
        )
        .execute();
    }
    const kind = sorted[0]!.kind;
    for (const part of chunks(sorted, 1)) {
      await db
        .deleteFrom('catalog_search_postings')
        .where('kind', '=', kind)
        .where(
          'id',
          'in',
          part.map((d) => d.id),
        )
        .execute();
    }
    await this.writePostings(db, sorted, vocabulary);
  }

  /** Inserts the postings of documents (sorted by term, kind, id); their terms become pending. */
  private async writePostings(
    db: Db,
    docs: readonly StaticDoc[],
    vocabulary: SharedRowWrites,
  ): Promise<void> {
    const postings: { term: string; kind: string; id: string }[] = [];
    for (const d of docs) {
      for (const term of documentTerms(d.searchText))
        postings.push({ term, kind: d.kind, id: d.id });
    }
    postings.sort(
      (a, b) =>
        byCodeUnits(a.term, b.term) || byCodeUnits(a.kind, b.kind) || byCodeUnits(a.id, b.id),
    );
    for (const part of chunks(postings, 3)) {
      await db
        .insertInto('catalog_search_postings')
        .values(part)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    vocabulary.addTerms(postings.map((p) => p.term));
  }

  /**
   * Writes the pending shared rows: like counters, genre documents that do not exist yet (the
   * first one per id wins, as in memory) with their postings, then every pending term, each in
   * key order.
   */
  private async writeShared(db: Db, vocabulary: SharedRowWrites): Promise<void> {
    const likes = vocabulary.takeLikes();
    if (likes.length > 0) await this.bumpStats(db, likes, 'likes');
    const inserted: StaticDoc[] = [];
    for (const part of chunks(vocabulary.takeGenres(), 9)) {
      const rows = await db
        .insertInto('catalog_search_docs')
        .values(
          part.map((d) => ({
            kind: d.kind,
            id: d.id,
            name: d.name,
            search_text: d.searchText,
            genres: jsonb(d.genres),
            artist_ids: jsonb(d.artistIds),
            album_id: null,
            released_at: null,
            added_at: d.addedAt,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      const ids = new Set(rows.map((r) => r.id));
      for (const d of part) if (ids.has(d.id)) inserted.push(d);
    }
    await this.writePostings(db, inserted, vocabulary);
    for (const part of chunks(vocabulary.takeTerms(), 2)) {
      await db
        .insertInto('catalog_search_terms')
        .values(part.map((term) => ({ term, len: term.length })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  private async artistsById(db: Db, ids: Iterable<string>): Promise<Map<string, Artist>> {
    const out = new Map<string, Artist>();
    for (const part of chunks([...new Set(ids)], 1)) {
      const rows = await db
        .selectFrom('catalog_artists')
        .selectAll()
        .where('id', 'in', part)
        .execute();
      for (const r of rows) {
        out.set(r.id, {
          id: r.id,
          name: r.name,
          genres: strings(r.genres),
          ownerUserId: r.owner_user_id,
          imageUrl: r.image_url,
          addedAt: num(r.added_at),
        });
      }
    }
    return out;
  }

  private async albumsById(db: Db, ids: Iterable<string>): Promise<Map<string, Album>> {
    const out = new Map<string, Album>();
    for (const part of chunks([...new Set(ids)], 1)) {
      const rows = await db
        .selectFrom('catalog_albums')
        .selectAll()
        .where('id', 'in', part)
        .execute();
      for (const r of rows) {
        out.set(r.id, {
          id: r.id,
          name: r.name,
          type: r.type === 'single' || r.type === 'compilation' ? r.type : 'album',
          artistIds: strings(r.artist_ids),
          releaseDate: r.release_date,
          releaseDatePrecision:
            r.release_date_precision === 'year' || r.release_date_precision === 'month'
              ? r.release_date_precision
              : 'day',
          upc: r.upc,
          explicit: r.explicit,
          variantOfAlbumId: r.variant_of_album_id,
          genres: strings(r.genres),
          label: r.label,
          imageUrl: r.image_url,
          totalTracks: r.total_tracks,
          addedAt: num(r.added_at),
        });
      }
    }
    return out;
  }

  // ---- upserts ----------------------------------------------------------------------------

  async upsertArtists(input: readonly Artist[]): Promise<void> {
    const artists = lastById(input, (a) => a.id);
    if (artists.length === 0) return;
    await this.writeEntities(async (db, vocabulary) => {
      for (const part of chunks(artists, 6)) {
        await db
          .insertInto('catalog_artists')
          .values(
            part.map((a) => ({
              id: a.id,
              name: a.name,
              genres: jsonb(a.genres),
              owner_user_id: a.ownerUserId,
              image_url: a.imageUrl,
              added_at: a.addedAt,
            })),
          )
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              genres: eb.ref('excluded.genres'),
              owner_user_id: eb.ref('excluded.owner_user_id'),
              image_url: eb.ref('excluded.image_url'),
              added_at: eb.ref('excluded.added_at'),
            })),
          )
          .execute();
      }
      await this.writeDocs(db, artists.map(artistDoc), vocabulary);
      vocabulary.addGenres(artists.flatMap((a) => genreDocs(a.genres, a.addedAt)));
    });
    await this.refreshStats('artists', artists.length);
  }

  async upsertAlbums(input: readonly Album[]): Promise<void> {
    const albums = lastById(input, (a) => a.id);
    if (albums.length === 0) return;
    await this.writeEntities(async (db, vocabulary) => {
      for (const part of chunks(albums, 14)) {
        await db
          .insertInto('catalog_albums')
          .values(
            part.map((a) => ({
              id: a.id,
              name: a.name,
              type: a.type,
              artist_ids: jsonb(a.artistIds),
              release_date: a.releaseDate,
              release_date_precision: a.releaseDatePrecision,
              upc: a.upc,
              explicit: a.explicit,
              variant_of_album_id: a.variantOfAlbumId,
              genres: jsonb(a.genres),
              label: a.label,
              image_url: a.imageUrl,
              total_tracks: a.totalTracks,
              added_at: a.addedAt,
            })),
          )
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              type: eb.ref('excluded.type'),
              artist_ids: eb.ref('excluded.artist_ids'),
              release_date: eb.ref('excluded.release_date'),
              release_date_precision: eb.ref('excluded.release_date_precision'),
              upc: eb.ref('excluded.upc'),
              explicit: eb.ref('excluded.explicit'),
              variant_of_album_id: eb.ref('excluded.variant_of_album_id'),
              genres: eb.ref('excluded.genres'),
              label: eb.ref('excluded.label'),
              image_url: eb.ref('excluded.image_url'),
              total_tracks: eb.ref('excluded.total_tracks'),
              added_at: eb.ref('excluded.added_at'),
            })),
          )
          .execute();
      }
      const artists = await this.artistsById(
        db,
        albums.flatMap((a) => a.artistIds),
      );
      await this.writeDocs(
        db,
        albums.map((al) =>
          albumDoc(
            al,
            al.artistIds.map((id) => artists.get(id)),
          ),
        ),
        vocabulary,
      );
      vocabulary.addGenres(albums.flatMap((a) => genreDocs(a.genres, a.addedAt)));
    });
    await this.refreshStats('albums', albums.length);
  }

  async upsertTracks(input: readonly Track[]): Promise<void> {
    const tracks = lastById(input, (t) => t.id);
    if (tracks.length === 0) return;
    await this.writeEntities(async (db, vocabulary) => {
      for (const part of chunks(tracks, 13)) {
        await db
          .insertInto('catalog_tracks')
          .values(
            part.map((t) => ({
              id: t.id,
              name: t.name,
              album_id: t.albumId,
              artist_ids: jsonb(t.artistIds),
              primary_artist_id: t.artistIds[0] ?? null,
              owner_artist_id: t.ownerArtistId,
              duration_ms: t.durationMs,
              isrc: t.isrc,
              explicit: t.explicit,
              visibility: t.visibility,
              disc_number: t.discNumber,
              track_number: t.trackNumber,
              added_at: t.addedAt,
            })),
          )
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              album_id: eb.ref('excluded.album_id'),
              artist_ids: eb.ref('excluded.artist_ids'),
              primary_artist_id: eb.ref('excluded.primary_artist_id'),
              owner_artist_id: eb.ref('excluded.owner_artist_id'),
              duration_ms: eb.ref('excluded.duration_ms'),
              isrc: eb.ref('excluded.isrc'),
              explicit: eb.ref('excluded.explicit'),
              visibility: eb.ref('excluded.visibility'),
              disc_number: eb.ref('excluded.disc_number'),
              track_number: eb.ref('excluded.track_number'),
              added_at: eb.ref('excluded.added_at'),
            })),
          )
          .execute();
      }
      const artists = await this.artistsById(
        db,
        tracks.flatMap((t) => t.artistIds),
      );
      const albums = await this.albumsById(
        db,
        tracks.flatMap((t) => (t.albumId === null ? [] : [t.albumId])),
      );
      await this.writeDocs(
        db,
        tracks.map((t) =>
          trackDoc(
            t,
            t.artistIds.map((id) => artists.get(id)),
            t.albumId === null ? undefined : albums.get(t.albumId),
          ),
        ),
        vocabulary,
      );
    });
    await this.refreshStats('tracks', tracks.length);
  }

  private async upsertData(
    table: 'catalog_users' | 'catalog_subscriptions',
    items: readonly { readonly id: string }[],
  ): Promise<void> {
    const rows = lastById(items, (x) => x.id);
    if (rows.length === 0) return;
    await this.atomic(async (db) => {
      for (const part of chunks(rows, 2)) {
        await db
          .insertInto(table)
          .values(part.map((x) => ({ id: x.id, data: jsonb(x) })))
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({ data: eb.ref('excluded.data') })),
          )
          .execute();
      }
    });
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
    await this.atomic(async (db) => {
      for (const p of playlists) {
        await db
          .insertInto('catalog_playlists')
          .values({
            id: p.id,
            owner_user_id: p.ownerUserId,
            name: p.name,
            description: p.description,
            public: p.public,
            collaborative: p.collaborative,
            snapshot_id: p.snapshotId,
            updated_at: p.updatedAt,
          })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              owner_user_id: eb.ref('excluded.owner_user_id'),
              name: eb.ref('excluded.name'),
              description: eb.ref('excluded.description'),
              public: eb.ref('excluded.public'),
              collaborative: eb.ref('excluded.collaborative'),
              snapshot_id: eb.ref('excluded.snapshot_id'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
        await db.deleteFrom('catalog_playlist_items').where('playlist_id', '=', p.id).execute();
        const items = p.items.map((item, position) => ({
          playlist_id: p.id,
          position,
          track_id: item.trackId,
          added_at: item.addedAt,
          added_by: item.addedBy,
        }));
        for (const part of chunks(items, 5)) {
          await db.insertInto('catalog_playlist_items').values(part).execute();
        }
      }
    });
  }

  // ---- reads ------------------------------------------------------------------------------

  async getArtist(id: string): Promise<Artist | null> {
    return (await this.artistsById(this.db, [id])).get(id) ?? null;
  }

  async getAlbum(id: string): Promise<Album | null> {
    return (await this.albumsById(this.db, [id])).get(id) ?? null;
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
    const row = await this.db
      .selectFrom('catalog_users')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : (row.data as User);
  }

  async getSubscription(id: string): Promise<Subscription | null> {
    const row = await this.db
      .selectFrom('catalog_subscriptions')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : (row.data as Subscription);
  }

  async getPlaylist(id: string): Promise<Playlist | null> {
    const p = await this.db
      .selectFrom('catalog_playlists')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (p === undefined) return null;
    const items = await this.db
      .selectFrom('catalog_playlist_items')
      .selectAll()
      .where('playlist_id', '=', id)
      .orderBy('position')
      .execute();
    return {
      id: p.id,
      ownerUserId: p.owner_user_id,
      name: p.name,
      description: p.description,
      public: p.public,
      collaborative: p.collaborative,
      snapshotId: p.snapshot_id,
      items: items.map((i) => ({
        trackId: i.track_id,
        addedAt: num(i.added_at),
        addedBy: i.added_by,
      })),
      updatedAt: num(p.updated_at),
    };
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

  // ---- plays ------------------------------------------------------------------------------

  async appendPlays(plays: readonly Play[]): Promise<AppendPlaysResult> {
    const batch = new Map<string, Play>();
    let latest = Number.NEGATIVE_INFINITY;
    for (const p of plays) {
      const key = playKey(p);
      if (!batch.has(key)) batch.set(key, p);
      if (p.endedAt > latest) latest = p.endedAt;
    }
    if (batch.size === 0) return { inserted: 0, duplicates: plays.length };
    const result = await this.atomic(async (db): Promise<AppendPlaysResult> => {
      const trending = await this.trendingReference(db, latest);
      const inserted = await appendPlayBatch(db, batch, trending);
      return { inserted, duplicates: plays.length - inserted };
    });
    await this.refreshStats('plays', result.inserted);
    return result;
  }

  /** Reads the reference instant and half-life of the trending aggregates. */
  private async trendingMeta(db: Db, lock: 'share' | 'update' | null): Promise<TrendingMeta> {
    let q = db
      .selectFrom('catalog_trending_meta')
      .select(['ref_ms', 'half_life_ms'])
      .where('id', '=', 1);
    if (lock === 'share') q = q.forShare();
    if (lock === 'update') q = q.forUpdate();
    const row = await q.executeTakeFirstOrThrow();
    return { ref: num(row.ref_ms), halfLifeMs: num(row.half_life_ms) };
  }

  /**
   * The trending reference a batch whose latest play ends at `latest` is aggregated against
   * (same transaction as the plays). Moves the reference instant forward first when that play
   * lies too far after it; a play of the batch already stored lies within reach of the current
   * reference, so deciding on the whole batch rebases exactly when its new plays need it.
   */
  private async trendingReference(db: Db, latest: number): Promise<TrendingMeta> {
    let meta = await this.trendingMeta(db, 'share');
    if ((latest - meta.ref) / meta.halfLifeMs > REBASE_AFTER_HALF_LIVES) {
      meta = await this.trendingMeta(db, 'update');
      const ref = dayOf(latest) * DAY_MS;
      const shift = (ref - meta.ref) / meta.halfLifeMs;
      await db
        .updateTable('catalog_trending_totals')
        .set({
          decay: sql<number>`power(2::float8, greatest(${MIN_EXPONENT}::float8, ln(decay) / ln(2::float8) - ${shift}::float8))`,
        })
        .execute();
      await db
        .updateTable('catalog_trending_meta')
        .set({ ref_ms: ref })
        .where('id', '=', 1)
        .execute();
      meta = { ...meta, ref };
    }
    return meta;
  }

  /**
   * Recomputes every aggregate derived from the play log (per-listener play counts and last
   * played, per-item play counters, both trending aggregates) from the log itself, in one
   * transaction. The incremental maintenance keeps them equal already; this is the repair tool
   * after manual edits of the database, and what migrations use.
   */
  async rebuildAggregates(): Promise<RebuildAggregatesResult> {
    return this.atomic(async (db) => {
      await db.deleteFrom('catalog_user_track_stats').execute();
      await sql`insert into catalog_user_track_stats (user_id, track_id, play_count, last_played_at)
        select user_id, track_id, count(*), max(ended_at) from catalog_plays
        where track_id is not null group by user_id, track_id`.execute(db);
      await db
        .updateTable('catalog_item_stats')
        .set({ plays: 0 })
        .where('plays', '<>', 0)
        .execute();
      await sql`insert into catalog_item_stats (kind, id, plays, likes)
        select 'track', track_id, count(*), 0 from catalog_plays where track_id is not null group by track_id
        union all
        select 'album', album_id, count(*), 0 from catalog_plays where album_id is not null group by album_id
        union all
        select 'artist', primary_artist_id, count(*), 0 from catalog_plays
        where primary_artist_id is not null group by primary_artist_id
        on conflict (kind, id) do update set plays = excluded.plays`.execute(db);
      await this.trendingMeta(db, 'update');
      for (const statement of rebuildTrendingStatements()) await sql.raw(statement).execute(db);
      const count = await db
        .selectFrom('catalog_plays')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return { plays: Number(count.n) };
    });
  }

  private async bumpStats(
    db: Db,
    rows: readonly { kind: string; id: string; by: number }[],
    field: 'plays' | 'likes',
  ): Promise<void> {
    for (const part of chunks(rows, 3)) {
      await db
        .insertInto('catalog_item_stats')
        .values(
          part.map((r) => ({
            kind: r.kind,
            id: r.id,
            plays: field === 'plays' ? r.by : 0,
            likes: field === 'likes' ? r.by : 0,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['kind', 'id'])
            .doUpdateSet(
              field === 'plays'
                ? { plays: sql`catalog_item_stats.plays + excluded.plays` }
                : { likes: sql`catalog_item_stats.likes + excluded.likes` },
            ),
        )
        .execute();
    }
  }

  async listPlays(options: ListPlaysOptions): Promise<Play[]> {
    let q = this.db.selectFrom('catalog_plays').selectAll().where('user_id', '=', options.userId);
    if (options.from !== undefined) q = q.where('ended_at', '>=', options.from);
    if (options.to !== undefined) q = q.where('ended_at', '<', options.to);
    q = q.orderBy('ended_at').orderBy(sql`coalesce(track_id, '') collate "C"`);
    if (options.limit !== undefined) q = q.limit(options.limit);
    const rows = await q.execute();
    return rows.map((r) => ({
      userId: r.user_id,
      trackId: r.track_id,
      trackName: r.track_name,
      artistIds: strings(r.artist_ids),
      artistName: r.artist_name,
      albumId: r.album_id,
      albumName: r.album_name,
      endedAt: num(r.ended_at),
      msPlayed: r.ms_played,
      skipped: r.skipped,
      reasonStart: r.reason_start,
      reasonEnd: r.reason_end,
      shuffle: r.shuffle,
      offline: r.offline,
      offlineTimestamp: numOrNull(r.offline_timestamp),
      platform: r.platform,
      source: r.source === 'export' ? 'export' : 'api',
    }));
  }

  async *iteratePlays(options: IteratePlaysOptions): AsyncGenerator<Play[]> {
    // Options are checked on the first `next()`, as in the memory store.
    yield* iterateSqlPlays(this.db, parseIteratePlays(options));
  }

  async listRecentPlays(options: RecentPlaysOptions): Promise<RecentPlaysPage> {
    return listSqlRecentPlays(this.db, parseRecentPlays(options));
  }

  async countPlays(): Promise<number> {
    const row = await this.db
      .selectFrom('catalog_plays')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // ---- annotations ------------------------------------------------------------------------

  private async likeSubjects(db: Db, trackId: string): Promise<{ kind: string; id: string }[]> {
    const t = await db
      .selectFrom('catalog_tracks')
      .select(['album_id', 'primary_artist_id'])
      .where('id', '=', trackId)
      .executeTakeFirst();
    const out = [{ kind: 'track', id: trackId }];
    if (t?.album_id) out.push({ kind: 'album', id: t.album_id });
    if (t?.primary_artist_id) out.push({ kind: 'artist', id: t.primary_artist_id });
    return out;
  }

  async like(like: Like): Promise<void> {
    await this.writeEntities(async (db, shared) => {
      const rows = await db
        .insertInto('catalog_likes')
        .values({ user_id: like.userId, track_id: like.trackId, liked_at: like.likedAt })
        .onConflict((oc) => oc.columns(['user_id', 'track_id']).doNothing())
        .returning('track_id')
        .execute();
      if (rows.length === 0) return;
      const subjects = await this.likeSubjects(db, like.trackId);
      shared.addLikes(subjects.map((s) => ({ ...s, by: 1 })));
    });
  }

  async unlike(userId: string, trackId: string): Promise<void> {
    await this.writeEntities(async (db, shared) => {
      const rows = await db
        .deleteFrom('catalog_likes')
        .where('user_id', '=', userId)
        .where('track_id', '=', trackId)
        .returning('track_id')
        .execute();
      if (rows.length === 0) return;
      const subjects = await this.likeSubjects(db, trackId);
      shared.addLikes(subjects.map((s) => ({ ...s, by: -1 })));
    });
  }

  async listLikes(userId: string): Promise<Like[]> {
    const rows = await this.db
      .selectFrom('catalog_likes')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('liked_at', 'desc')
      .orderBy(textC('track_id'))
      .execute();
    return rows.map((r) => ({ userId: r.user_id, trackId: r.track_id, likedAt: num(r.liked_at) }));
  }

  async addFavourite(f: Favourite): Promise<void> {
    await this.db
      .insertInto('catalog_favourites')
      .values({ user_id: f.userId, kind: f.kind, target_id: f.targetId, added_at: f.addedAt })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async removeFavourite(userId: string, kind: Favourite['kind'], targetId: string): Promise<void> {
    await this.db
      .deleteFrom('catalog_favourites')
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .where('target_id', '=', targetId)
      .execute();
  }

  async listFavourites(userId: string): Promise<Favourite[]> {
    const rows = await this.db
      .selectFrom('catalog_favourites')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy(textC('kind'))
      .orderBy(textC('target_id'))
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      kind: r.kind === 'album' ? 'album' : 'track',
      targetId: r.target_id,
      addedAt: num(r.added_at),
    }));
  }

  async follow(f: Follow): Promise<void> {
    await this.db
      .insertInto('catalog_follows')
      .values({ user_id: f.userId, artist_id: f.artistId, followed_at: f.followedAt })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async unfollow(userId: string, artistId: string): Promise<void> {
    await this.db
      .deleteFrom('catalog_follows')
      .where('user_id', '=', userId)
      .where('artist_id', '=', artistId)
      .execute();
  }

  async listFollows(userId: string): Promise<Follow[]> {
    const rows = await this.db
      .selectFrom('catalog_follows')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy(textC('artist_id'))
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      artistId: r.artist_id,
      followedAt: num(r.followed_at),
    }));
  }

  async getAnnotation(userId: string, trackId: string): Promise<TrackAnnotation> {
    const stats = await this.db
      .selectFrom('catalog_user_track_stats')
      .selectAll()
      .where('user_id', '=', userId)
      .where('track_id', '=', trackId)
      .executeTakeFirst();
    const liked = await this.db
      .selectFrom('catalog_likes')
      .select('track_id')
      .where('user_id', '=', userId)
      .where('track_id', '=', trackId)
      .executeTakeFirst();
    const fav = await this.db
      .selectFrom('catalog_favourites')
      .select('target_id')
      .where('user_id', '=', userId)
      .where('kind', '=', 'track')
      .where('target_id', '=', trackId)
      .executeTakeFirst();
    return {
      userId,
      trackId,
      playCount: stats?.play_count ?? 0,
      lastPlayedAt: stats === undefined ? null : num(stats.last_played_at),
      liked: liked !== undefined,
      favourite: fav !== undefined,
    };
  }

  // ---- queries ----------------------------------------------------------------------------

  /**
   * Trending in SQL. With the default half-life the store reads its aggregates: `trending_totals`
   * when the window holds every play (the all-time case), else `trending_daily` for the whole days
   * of the window that are over by `now`, plus the play log for the partial days at the edges.
   * Any other half-life reads the play log. Every path computes the formula of `rankTrending`
   * exactly (up to floating-point rounding).
   */
  async trending(options: TrendingOptions): Promise<TrendingEntry[]> {
    const o = parseOptions(trendingOptionsSchema, options, 'trending options');
    const { from, to } = trendingRange(o.window, o.now);
    const playSubject =
      o.kind === 'track' ? 'track_id' : o.kind === 'album' ? 'album_id' : 'primary_artist_id';
    const likeSubject =
      o.kind === 'track'
        ? sql`l.track_id`
        : o.kind === 'album'
          ? sql`t.album_id`
          : sql`t.primary_artist_id`;
    // 2^(−max(0, now − at) / H), the exponent clamped where float8 would underflow.
    const decay = (at: RawBuilder<unknown>) =>
      sql`power(2::float8, greatest(${MIN_EXPONENT}::float8, -(greatest(0, ${o.now}::bigint - ${at})::float8) / ${o.halfLifeMs}::float8))`;
    const rawPlays = (ranges: readonly { from: number; to: number }[]) =>
      sql`select ${sql.ref(playSubject)} as id, 1 as plays, 0 as likes, ${decay(sql.ref('ended_at'))} as pw, 0::float8 as lw
        from catalog_plays
        where track_id is not null and ${sql.ref(playSubject)} is not null and (${sql.join(
          ranges.map((r) => sql`(ended_at >= ${r.from}::bigint and ended_at < ${r.to}::bigint)`),
          sql` or `,
        )})`;
    const likes = sql`select ${likeSubject} as id, 0 as plays, 1 as likes, 0::float8 as pw, ${decay(sql`l.liked_at`)} as lw
      from catalog_likes l left join catalog_tracks t on t.id = l.track_id
      where l.liked_at >= ${from}::bigint and l.liked_at < ${to}::bigint and ${likeSubject} is not null`;

    let playEvents = rawPlays([{ from, to }]);
    const meta = await this.trendingMeta(this.db, null);
    if (meta.halfLifeMs === o.halfLifeMs) {
      const span = await this.db
        .selectFrom('catalog_plays')
        .select((eb) => [eb.fn.min('ended_at').as('lo'), eb.fn.max('ended_at').as('hi')])
        .executeTakeFirstOrThrow();
      const lo = span.lo === null ? null : num(span.lo);
      const hi = span.hi === null ? null : num(span.hi);
      const end = Math.min(to, o.now + 1);
      const holdsEverything = lo === null || hi === null || (lo >= from && hi < end);
      if (holdsEverything && (o.now - meta.ref) / meta.halfLifeMs <= -MIN_EXPONENT) {
        // All-time: decay is Σ 2^((at − ref)/H); times 2^(−(now − ref)/H) gives the score.
        const factor = sql`power(2::float8, greatest(${MIN_EXPONENT}::float8, -(${o.now}::bigint - ${meta.ref}::bigint)::float8 / ${o.halfLifeMs}::float8))`;
        playEvents = sql`select id, plays, 0 as likes, decay * ${factor} as pw, 0::float8 as lw
          from catalog_trending_totals where kind = ${o.kind}`;
      } else {
        const plan = planWindow(from, to, o.now);
        if (plan.dayTo > plan.dayFrom) {
          const subject =
            o.kind === 'track' ? 'track_id' : o.kind === 'album' ? 'album_id' : 'artist_id';
          const days = sql`select ${sql.ref(subject)} as id, plays, 0 as likes,
              decay * power(2::float8, greatest(${MIN_EXPONENT}::float8,
                -(${o.now}::bigint - day::bigint * ${DAY_MS}::bigint)::float8 / ${o.halfLifeMs}::float8)) as pw,
              0::float8 as lw
            from catalog_trending_daily
            where day >= ${plan.dayFrom}::integer and day < ${plan.dayTo}::integer
              and ${sql.ref(subject)} <> ''`;
          playEvents = plan.raw.length === 0 ? days : sql`${days} union all ${rawPlays(plan.raw)}`;
        }
      }
    }
    const fetch = o.limit * 2 + 10;
    // Private tracks rank only for their owner. The check runs on the best rows only (not on
    // every item in the window): fetch more until enough visible ones remain or none are left.
    const rank = (n: number) =>
      sql<{
        id: string;
        score: number;
        plays: number | string;
        likes: number | string;
        visible: boolean;
      }>`
      with ev as (${playEvents} union all ${likes}),
      ranked as (
        select id,
          ${o.playWeight}::float8 * sum(pw) + ${o.likeWeight}::float8 * sum(lw) as score,
          sum(plays) as plays,
          sum(likes) as likes
        from ev group by id
        order by score desc, plays desc, likes desc, id collate "C"
        limit ${n}
      )
      select r.*, ${
        o.kind === 'track'
          ? sql`not exists (select 1 from catalog_tracks vt where vt.id = r.id and not ${visibleTrack('vt', o.viewerArtistId)})`
          : sql`true`
      } as visible
      from ranked r
      order by score desc, plays desc, likes desc, id collate "C"
    `.execute(this.db);
    // Twice what is needed: private tracks are few, so one query is the rule.
    let n = fetch * 2;
    let rows = (await rank(n)).rows;
    while (rows.length === n && rows.filter((r) => r.visible).length < fetch) {
      n *= 4;
      rows = (await rank(n)).rows;
    }
    const entries: TrendingEntry[] = rows
      .filter((r) => r.visible)
      .map((r) => ({
        kind: o.kind,
        id: r.id,
        score: roundScore(Number(r.score)),
        plays: Number(r.plays),
        likes: Number(r.likes),
      }));
    return entries.sort(compareTrending).slice(0, o.limit);
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

  private recTracks(db: Db) {
    return db
      .selectFrom('catalog_tracks as t')
      .leftJoin('catalog_search_docs as d', (j) =>
        j.on('d.kind', '=', 'track').onRef('d.id', '=', 't.id'),
      )
      .leftJoin('catalog_item_stats as s', (j) =>
        j.on('s.kind', '=', 'track').onRef('s.id', '=', 't.id'),
      )
      .select(['t.id', 't.name', 't.artist_ids', 't.explicit', 'd.genres', 's.plays']);
  }

  async recommend(options: StoreRecommendOptions): Promise<Recommendation[]> {
    await this.flushShared();
    const { userId, favouriteGenres = [], ...tuning } = options;
    const toRec = (r: {
      id: string;
      name: string;
      artist_ids: unknown;
      explicit: boolean;
      genres: unknown;
      plays: number | null;
    }): RecommendationTrack => ({
      id: r.id,
      name: r.name,
      artistIds: strings(r.artist_ids),
      genres: strings(r.genres),
      explicit: r.explicit,
      plays: r.plays ?? 0,
    });
    const historyRows = await this.recTracks(this.db)
      .innerJoin('catalog_user_track_stats as u', (j) =>
        j.onRef('u.track_id', '=', 't.id').on('u.user_id', '=', userId),
      )
      .select('u.play_count')
      .orderBy(sql`t.id collate "C"`)
      .execute();
    const history = historyRows.map((r) => ({ track: toRec(r), count: r.play_count }));
    const liked = (await this.listLikes(userId))
      .map((l) => l.trackId)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const seeds = candidateSeeds(history, liked, favouriteGenres);
    if (seeds.artists.length === 0 && seeds.genres.length === 0) return [];
    const candidateRows = await this.recTracks(this.db)
      .where('t.visibility', '=', 'public')
      .where((eb) => {
        const ors = [];
        if (seeds.artists.length > 0) ors.push(eb('t.primary_artist_id', 'in', seeds.artists));
        if (seeds.genres.length > 0)
          ors.push(
            eb(sql<boolean>`d.genres ?| array[${sql.join(seeds.genres)}]::text[]`, '=', true),
          );
        return eb.or(ors);
      })
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('catalog_user_track_stats as h')
              .select('h.track_id')
              .whereRef('h.track_id', '=', 't.id')
              .where('h.user_id', '=', userId),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('catalog_likes as l')
              .select('l.track_id')
              .whereRef('l.track_id', '=', 't.id')
              .where('l.user_id', '=', userId),
          ),
        ),
      )
      .orderBy(sql`coalesce(s.plays, 0)`, 'desc')
      .orderBy(sql`t.id collate "C"`)
      .limit(MAX_CANDIDATES)
      .execute();
    const candidates = candidateRows.map(toRec);
    const names = await this.artistsById(
      this.db,
      candidates.flatMap((c) => c.artistIds),
    );
    const artistNames = new Map<string, string>();
    for (const a of names.values()) artistNames.set(a.id, a.name);
    return recommend(
      {
        history,
        likedTrackIds: liked,
        favouriteGenres: seeds.favouriteGenres,
        candidates,
        artistNames,
      },
      tuning,
    );
  }

  // ---- deletion ---------------------------------------------------------------------------

  async deleteTracks(trackIds: readonly string[]): Promise<DeleteTracksResult> {
    const ids = deleteTrackIds(trackIds);
    if (ids.length === 0) return { deleted: [], kept: [] };
    return this.atomic(async (db) => {
      const reasons = new Map<KeptTrackReason, Set<string>>();
      const deleted = new Set<string>();
      for (const part of chunks(ids, 1)) {
        const found = await sql<{ id: string; reason: KeptTrackReason }>`
          with wanted as (select id from catalog_tracks where id = any(${part}::text[]) for update)
          select w.id, 'played' as reason from wanted w
            where exists (select 1 from catalog_plays p where p.track_id = w.id)
              or exists (select 1 from catalog_plays_superseded p where p.track_id = w.id)
          union all
          select w.id, 'liked' from wanted w
            where exists (select 1 from catalog_likes l where l.track_id = w.id)
          union all
          select w.id, 'favourite' from wanted w
            where exists (select 1 from catalog_favourites f where f.kind = 'track' and f.target_id = w.id)
          union all
          select w.id, 'in-playlist' from wanted w
            where exists (select 1 from catalog_playlist_items i where i.track_id = w.id)
          union all
          select w.id, 'deletable' from wanted w`.execute(db);
        const candidates: string[] = [];
        for (const row of found.rows) {
          if ((row.reason as string) === 'deletable') candidates.push(row.id);
          else {
            const set = reasons.get(row.reason) ?? new Set<string>();
            set.add(row.id);
            reasons.set(row.reason, set);
          }
        }
        const keep = new Set([...reasons.values()].flatMap((set) => [...set]));
        const doomed = candidates.filter((id) => !keep.has(id));
        if (doomed.length === 0) continue;
        const terms = await db
          .selectFrom('catalog_search_postings')
          .select('term')
          .distinct()
          .where('kind', '=', 'track')
          .where('id', 'in', doomed)
          .execute();
        await db
          .deleteFrom('catalog_search_postings')
          .where('kind', '=', 'track')
          .where('id', 'in', doomed)
          .execute();
        await db
          .deleteFrom('catalog_search_docs')
          .where('kind', '=', 'track')
          .where('id', 'in', doomed)
          .execute();
        await db
          .deleteFrom('catalog_item_stats')
          .where('kind', '=', 'track')
          .where('id', 'in', doomed)
          .execute();
        await db
          .deleteFrom('catalog_trending_totals')
          .where('kind', '=', 'track')
          .where('id', 'in', doomed)
          .execute();
        if (terms.length > 0) {
          await db
            .deleteFrom('catalog_search_terms')
            .where(sql<boolean>`term = any(${terms.map((t) => t.term)}::text[])`)
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('catalog_search_postings as p')
                    .select('p.term')
                    .whereRef('p.term', '=', 'catalog_search_terms.term'),
                ),
              ),
            )
            .execute();
        }
        const rows = await db
          .deleteFrom('catalog_tracks')
          .where('id', 'in', doomed)
          .returning('id')
          .execute();
        for (const r of rows) deleted.add(r.id);
      }
      return deleteTracksResult(ids, reasons, deleted);
    });
  }

  // ---- lifecycle --------------------------------------------------------------------------

  async transaction<T>(fn: (tx: CatalogStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    return this.db.transaction().execute(async (trx) => {
      const shared = new SharedRowWrites();
      const result = await fn(new SqlCatalogStore(this.backend, trx, null, shared));
      await this.writeShared(trx, shared);
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
