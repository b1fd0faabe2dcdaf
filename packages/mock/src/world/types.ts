/**
 * The synthetic world's data model: the contract between the world generator
 * (`src/world/`), the HTTP server (`src/server/`) and the data-export writer (`src/export/`).
 *
 * Times are Unix milliseconds (UTC). Ids are 22-character base62 strings like Spotify's.
 */

/** The two platform profiles the mock serves. */
export type ProfileName = 'extended' | 'development-2026';

/** Broad genre families; every genre belongs to exactly one. */
export type GenreFamily =
  | 'rock'
  | 'metal'
  | 'punk'
  | 'pop'
  | 'electronic'
  | 'hip hop'
  | 'r&b'
  | 'jazz'
  | 'blues'
  | 'classical'
  | 'folk'
  | 'country'
  | 'latin'
  | 'reggae'
  | 'world'
  | 'soundtrack'
  | 'ambient';

/** Audio features as Spotify defines them (0..1 unless noted). */
export interface AudioFeatures {
  readonly energy: number;
  readonly valence: number;
  readonly danceability: number;
  readonly acousticness: number;
  readonly instrumentalness: number;
  readonly speechiness: number;
  readonly liveness: number;
  /** Beats per minute. */
  readonly tempo: number;
  /** Decibels, typically -60..0. */
  readonly loudness: number;
  /** Pitch class 0..11, or -1 when unknown. */
  readonly key: number;
  /** 1 major, 0 minor. */
  readonly mode: 0 | 1;
  readonly timeSignature: number;
}

/** A genre of the world's vocabulary with the audio-feature centre its tracks are drawn around. */
export interface Genre {
  readonly name: string;
  readonly family: GenreFamily;
  readonly features: AudioFeatures;
}

/** An artist of the world's catalogue. */
export interface WorldArtist {
  readonly id: string;
  readonly name: string;
  /** Genre names from the vocabulary (may be served empty in development-2026). */
  readonly genres: readonly string[];
  /** 0..100. */
  readonly popularity: number;
  readonly followers: number;
}

/** Spotify's album types (`appears_on` is a relation, not a type). */
export type AlbumType = 'album' | 'single' | 'compilation';
/** Precision of an album's `release_date`. */
export type DatePrecision = 'day' | 'month' | 'year';

/** One album edition (market editions and clean versions are albums of their own). */
export interface WorldAlbum {
  readonly id: string;
  readonly name: string;
  readonly albumType: AlbumType;
  readonly artistIds: readonly string[];
  /** "1981-12-15", "1981-12" or "1981", per `releaseDatePrecision`. */
  readonly releaseDate: string;
  readonly releaseDatePrecision: DatePrecision;
  /** When the album becomes visible in the world (its release instant); may lie in the future. */
  readonly releasedAtMs: number;
  readonly trackIds: readonly string[];
  readonly upc: string;
  readonly label: string;
  readonly popularity: number;
  /** ISO 3166-1 alpha-2 markets this edition is sold in. */
  readonly markets: readonly string[];
  /**
   * Editions of one release share a `releaseGroupId`: the same album in other markets, and the
   * explicit/clean pair, are separate albums (separate ids) as on Spotify.
   */
  readonly releaseGroupId: string;
  /** True when any track is explicit. */
  readonly explicit: boolean;
  /** For a clean edition: the id of its explicit counterpart. */
  readonly cleanVersionOf?: string;
}

/** A track of one album edition. */
export interface WorldTrack {
  readonly id: string;
  readonly name: string;
  readonly albumId: string;
  readonly artistIds: readonly string[];
  readonly durationMs: number;
  readonly explicit: boolean;
  /** ISRC, shared by the editions (markets, clean) of the same recording only when they are the same recording. */
  readonly isrc: string;
  readonly trackNumber: number;
  readonly discNumber: number;
  readonly popularity: number;
  readonly features: AudioFeatures;
}

/** Listener personas that drive synthetic listening histories. */
export type PersonaName =
  | 'night-owl'
  | 'morning-acoustic'
  | 'eclectic-explorer'
  | 'heavy-pop'
  | 'jazz-commuter'
  | 'weekend-raver';

/** A listener with a library, follows and playlists; the server mutates the library maps. */
export interface WorldUser {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
  readonly country: string;
  readonly product: 'premium' | 'free';
  /** IANA time zone the persona's daily rhythm is expressed in. */
  readonly timezone: string;
  readonly persona: PersonaName;
  readonly createdAtMs: number;
  /** Saved tracks: track id -> added_at (ms). Mutable: the server saves and removes. */
  readonly savedTracks: Map<string, number>;
  /** Saved albums: album id -> added_at (ms). */
  readonly savedAlbums: Map<string, number>;
  /** Followed artists: artist id -> followed at (ms). */
  readonly followedArtists: Map<string, number>;
  /** Ids of playlists the user owns or follows, in the order `/me/playlists` lists them. */
  readonly playlistIds: string[];
}

/** One entry of a playlist. */
export interface WorldPlaylistItem {
  readonly trackId: string;
  readonly addedAtMs: number;
  readonly addedBy: string;
}

/** A user's own playlist or a Spotify-owned editorial one. */
export interface WorldPlaylist {
  readonly id: string;
  name: string;
  description: string;
  readonly ownerId: string;
  public: boolean;
  collaborative: boolean;
  /** Mutable: the server edits items and bumps `version` on every change (snapshot ids derive from it). */
  items: WorldPlaylistItem[];
  version: number;
  /** True for Spotify-owned editorial playlists (unavailable in development-2026). */
  readonly editorial: boolean;
}

/** Why a stream started (`reason_start` of Spotify's exports). */
export type ReasonStart =
  | 'trackdone'
  | 'clickrow'
  | 'fwdbtn'
  | 'backbtn'
  | 'playbtn'
  | 'appload'
  | 'remote'
  | 'unknown';
/** Why a stream ended (`reason_end`); `fwdbtn`/`backbtn` mark skips. */
export type ReasonEnd =
  | 'trackdone'
  | 'fwdbtn'
  | 'backbtn'
  | 'endplay'
  | 'logout'
  | 'remote'
  | 'unexpected-exit'
  | 'unknown';

/** One listening event of the ground-truth history. */
export interface WorldPlay {
  readonly userId: string;
  readonly trackId: string;
  /** When the stream ended (Spotify's `ts` / `played_at`). */
  readonly endedAtMs: number;
  readonly msPlayed: number;
  readonly reasonStart: ReasonStart;
  readonly reasonEnd: ReasonEnd;
  readonly shuffle: boolean;
  readonly skipped: boolean;
  readonly offline: boolean;
  /**
   * When an offline play started on the device, Unix ms (the export's `offline_timestamp`, which
   * real exports give in ms); 0 when the play was online. Offline plays of a user never
   * start within the same second (the dedupe key of offline plays is this second).
   */
  readonly offlineTimestampMs: number;
  readonly platform: string;
  readonly connCountry: string;
  readonly incognito: boolean;
}

/** Size presets for {@link WorldOptions.size}. */
export type WorldSize = 'tiny' | 'small' | 'medium' | 'large';

/** Options of `createWorld`. */
export interface WorldOptions {
  /** Everything is deterministic from this seed. */
  readonly seed: number;
  /** Preset sizes: tiny (tests), small (demo), medium, large (~100k tracks). Default `small`. */
  readonly size?: WorldSize;
  /** Override the preset's number of users. */
  readonly users?: number;
  /** Override the preset's number of artists. */
  readonly artists?: number;
  /** The world's "now" at creation, ms. Default 2026-11-01T12:00:00Z. */
  readonly startTimeMs?: number;
  /** How far back listening histories reach, in days. Default from the preset. */
  readonly historyDays?: number;
  /** Personas assigned to users in turn. Default: all of them. */
  readonly personas?: readonly PersonaName[];
  /**
   * Multiplier of the personas' listening sessions per day, 0.1..10 (default 1): above 1, every
   * user listens more (data exports raise it to fit many plays in a plausible span of years).
   */
  readonly activity?: number;
}

/** The generated world. Catalogue data is immutable; libraries and playlists are mutable state. */
export interface World {
  readonly seed: number;
  readonly startTimeMs: number;
  readonly genres: readonly Genre[];
  readonly artists: ReadonlyMap<string, WorldArtist>;
  readonly albums: ReadonlyMap<string, WorldAlbum>;
  readonly tracks: ReadonlyMap<string, WorldTrack>;
  readonly users: ReadonlyMap<string, WorldUser>;
  readonly playlists: Map<string, WorldPlaylist>;
  /** Album ids per artist (primary artist), sorted by release time. */
  albumsOfArtist(artistId: string): readonly string[];
  /**
   * The user's plays with `endedAtMs <= untilMs`, ascending by `endedAtMs`. Histories are generated
   * lazily and deterministically: asking for a later time extends the same history (new plays
   * appear as the clock moves), never rewrites it. The generated worlds return one array shared
   * by every caller asking for the same prefix (do not mutate it), so repeated calls at one time
   * cost no copy.
   */
  playsOf(userId: string, untilMs: number): readonly WorldPlay[];
  /**
   * Streams a user's plays between two instants without keeping them (for large data exports).
   * Yields the same plays `playsOf` would for that range.
   */
  streamPlays(userId: string, fromMs: number, toMs: number): Iterable<WorldPlay>;
  /** True once the album's release instant has passed at time `nowMs`. */
  isReleased(albumId: string, nowMs: number): boolean;
}
