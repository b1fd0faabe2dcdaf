import type { ColumnType, Generated } from 'kysely';

/** A bigint column: written as a number, read as whatever the driver returns. */
type Big = ColumnType<number | string | bigint, number, number>;
type BigNull = ColumnType<number | string | bigint | null, number | null, number | null>;
/** A jsonb column: written as a JSON string, read parsed. */
type Json<T> = ColumnType<T, string, string>;

export interface ArtistsTable {
  id: string;
  name: string;
  genres: Json<string[]>;
  owner_user_id: string | null;
  image_url: string | null;
  added_at: Big;
}
export interface AlbumsTable {
  id: string;
  name: string;
  type: string;
  artist_ids: Json<string[]>;
  release_date: string;
  release_date_precision: string;
  upc: string | null;
  explicit: boolean;
  variant_of_album_id: string | null;
  genres: Json<string[]>;
  label: string | null;
  image_url: string | null;
  total_tracks: number;
  added_at: Big;
}
export interface TracksTable {
  id: string;
  name: string;
  album_id: string | null;
  artist_ids: Json<string[]>;
  primary_artist_id: string | null;
  owner_artist_id: string | null;
  duration_ms: number;
  isrc: string | null;
  explicit: boolean;
  visibility: string;
  disc_number: number;
  track_number: number;
  added_at: Big;
}
export interface DataTable {
  id: string;
  data: Json<unknown>;
}
export interface PlaylistsTable {
  id: string;
  owner_user_id: string;
  name: string;
  description: string;
  public: boolean;
  collaborative: boolean;
  snapshot_id: string | null;
  updated_at: Big;
}
export interface PlaylistItemsTable {
  playlist_id: string;
  position: number;
  track_id: string;
  added_at: Big;
  added_by: string | null;
}
export interface PlaysTable {
  play_key: string;
  seq: Generated<Big>;
  user_id: string;
  track_id: string | null;
  track_name: string;
  artist_ids: Json<string[]>;
  primary_artist_id: string | null;
  artist_name: string;
  album_id: string | null;
  album_name: string | null;
  ended_at: Big;
  ms_played: number;
  skipped: boolean | null;
  reason_start: string | null;
  reason_end: string | null;
  shuffle: boolean | null;
  offline: boolean | null;
  offline_timestamp: BigNull;
  platform: string | null;
  source: string;
}
export interface LikesTable {
  user_id: string;
  track_id: string;
  liked_at: Big;
}
export interface FavouritesTable {
  user_id: string;
  kind: string;
  target_id: string;
  added_at: Big;
}
export interface FollowsTable {
  user_id: string;
  artist_id: string;
  followed_at: Big;
}
export interface UserTrackStatsTable {
  user_id: string;
  track_id: string;
  play_count: number;
  last_played_at: Big;
}
export interface ItemStatsTable {
  kind: string;
  id: string;
  plays: number;
  likes: number;
  /** Plays that name a track (the trending subjects), and their Σ 2^((t − ref)/H). */
  trending_plays: Generated<number>;
  trending_decay: Generated<number>;
}
export interface SearchDocsTable {
  kind: string;
  id: string;
  name: string;
  search_text: string;
  genres: Json<string[]>;
  artist_ids: Json<string[]>;
  album_id: string | null;
  released_at: BigNull;
  added_at: Big;
}
export interface SearchTermsTable {
  term: string;
  len: number;
}
export interface SearchPostingsTable {
  term: string;
  kind: string;
  id: string;
}
export interface TrendingMetaTable {
  id: number;
  ref_ms: Big;
  half_life_ms: Big;
}
export interface TrendingDailyTable {
  day: number;
  track_id: string;
  album_id: string;
  artist_id: string;
  plays: number;
  decay: number;
}

export interface CatalogDatabase {
  catalog_artists: ArtistsTable;
  catalog_albums: AlbumsTable;
  catalog_tracks: TracksTable;
  catalog_users: DataTable;
  catalog_subscriptions: DataTable;
  catalog_playlists: PlaylistsTable;
  catalog_playlist_items: PlaylistItemsTable;
  catalog_plays: PlaysTable;
  catalog_likes: LikesTable;
  catalog_favourites: FavouritesTable;
  catalog_follows: FollowsTable;
  catalog_user_track_stats: UserTrackStatsTable;
  catalog_item_stats: ItemStatsTable;
  catalog_search_docs: SearchDocsTable;
  catalog_search_terms: SearchTermsTable;
  catalog_search_postings: SearchPostingsTable;
  catalog_trending_meta: TrendingMetaTable;
  catalog_trending_daily: TrendingDailyTable;
}
