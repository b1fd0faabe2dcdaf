import type { Album } from '../domain/album.js';
import type { Like } from '../domain/annotations.js';
import type { Artist } from '../domain/artist.js';
import type { Play } from '../domain/play.js';
import type { Playlist } from '../domain/playlist.js';
import type { Track } from '../domain/track.js';
import { normalizeText } from '../logic/normalize-text.js';

// Minimal structural shapes of Spotify Web API objects. Every field Spotify removed or made
// unreliable in 2026 is optional, so both the full and the reduced shapes (and @spoti/client's
// zod-derived types) fit without a run-time dependency on the client.

/**
 * An image as Spotify returns it.
 *
 * @example
 * ```ts
 * const image: SpotifyImageLike = { url: 'https://i.scdn.co/image/abc' };
 * ```
 */
export interface SpotifyImageLike {
  readonly url: string;
}
/**
 * A simplified artist (embedded in tracks and albums).
 *
 * @example
 * ```ts
 * const ref: SpotifyArtistRefLike = { id: '4gzpq5DPGxSnKTe4SA8HAU', name: 'Coldplay' };
 * ```
 */
export interface SpotifyArtistRefLike {
  readonly id: string;
  readonly name: string;
}
/**
 * A full artist; `genres`, `popularity`, `followers` may be missing (2026).
 *
 * @example
 * ```ts
 * artistFromSpotify({ id: 'a', name: 'A' } satisfies SpotifyArtistLike, Date.now());
 * ```
 */
export interface SpotifyArtistLike extends SpotifyArtistRefLike {
  readonly genres?: readonly string[] | null | undefined;
  readonly images?: readonly SpotifyImageLike[] | null | undefined;
  readonly popularity?: number | undefined;
  readonly followers?: { readonly total: number | null } | undefined;
}
/**
 * A simplified or full album; `label`, `genres`, `external_ids`, `album_group`,
 * `available_markets` may be missing (2026), and so may anything but `id`, `name` and `artists`.
 *
 * @example
 * ```ts
 * albumFromSpotify({ id: 'x', name: 'X', artists: [] } satisfies SpotifyAlbumLike, Date.now());
 * ```
 */
export interface SpotifyAlbumLike {
  readonly id: string;
  readonly name: string;
  readonly album_type?: string | undefined;
  readonly total_tracks?: number | undefined;
  /** "1981-12-15", "1981-12" or "1981"; Spotify says "0000" when it does not know. */
  readonly release_date?: string | undefined;
  readonly release_date_precision?: 'year' | 'month' | 'day' | undefined;
  readonly artists: readonly SpotifyArtistRefLike[];
  readonly images?: readonly SpotifyImageLike[] | null | undefined;
  readonly label?: string | null | undefined;
  readonly genres?: readonly string[] | null | undefined;
  readonly popularity?: number | undefined;
  readonly album_group?: string | undefined;
  readonly available_markets?: readonly string[] | undefined;
  readonly external_ids?: { readonly upc?: string | undefined } | null | undefined;
}
/**
 * A full track; `popularity`, `external_ids`, `linked_from`, `available_markets` may be missing.
 *
 * @example
 * ```ts
 * trackFromSpotify(apiTrack satisfies SpotifyTrackLike, Date.now());
 * ```
 */
export interface SpotifyTrackLike {
  readonly id: string;
  readonly name: string;
  readonly duration_ms: number;
  readonly explicit: boolean;
  readonly artists: readonly SpotifyArtistRefLike[];
  readonly album: SpotifyAlbumLike;
  readonly track_number?: number | undefined;
  readonly disc_number?: number | undefined;
  readonly popularity?: number | undefined;
  readonly available_markets?: readonly string[] | undefined;
  readonly linked_from?: unknown;
  readonly external_ids?: { readonly isrc?: string | undefined } | null | undefined;
}
/**
 * One item of `/me/player/recently-played`.
 *
 * @example
 * ```ts
 * playFromSpotify({ track: apiTrack, played_at: '2026-06-01T10:00:00.123Z' } satisfies SpotifyPlayHistoryLike, 'u1');
 * ```
 */
export interface SpotifyPlayHistoryLike {
  readonly track: SpotifyTrackLike;
  /** ISO time the play ended. */
  readonly played_at: string;
}
/**
 * One item of `/me/tracks`.
 *
 * @example
 * ```ts
 * likeFromSpotify({ added_at: '2026-01-02T03:04:05Z', track: apiTrack } satisfies SpotifySavedTrackLike, 'u1');
 * ```
 */
export interface SpotifySavedTrackLike {
  readonly added_at: string;
  readonly track: SpotifyTrackLike;
}
/**
 * One playlist entry: 2026 responses name the object `item`, older ones `track`.
 *
 * @example
 * ```ts
 * const entry: SpotifyPlaylistEntryLike = { added_at: '2026-01-01T00:00:00Z', item: { id: 't1' } };
 * ```
 */
export interface SpotifyPlaylistEntryLike {
  readonly added_at?: string | null | undefined;
  readonly added_by?: { readonly id: string } | null | undefined;
  readonly item?: { readonly id: string | null } | null | undefined;
  readonly track?: { readonly id: string | null } | null | undefined;
}
/**
 * A playlist.
 *
 * @example
 * ```ts
 * playlistFromSpotify({ id: 'p1', name: 'Mix', snapshot_id: 's', owner: { id: 'u1' } } satisfies SpotifyPlaylistLike, [], Date.now());
 * ```
 */
export interface SpotifyPlaylistLike {
  readonly id: string;
  readonly name: string;
  readonly snapshot_id: string;
  readonly owner: { readonly id: string };
  readonly description?: string | null | undefined;
  readonly public?: boolean | null | undefined;
  readonly collaborative?: boolean | undefined;
}

function parseIso(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

function albumType(value: string | undefined): Album['type'] {
  const v = (value ?? '').toLowerCase();
  return v === 'single' || v === 'compilation' ? v : 'album';
}

/**
 * A release date the catalog can store: the given date when it is well formed (its precision
 * taken from its shape when Spotify's precision is missing or disagrees), else "0000"/year.
 */
function releaseDate(album: SpotifyAlbumLike): Pick<Album, 'releaseDate' | 'releaseDatePrecision'> {
  const date = album.release_date ?? '';
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date);
  if (m === null) return { releaseDate: '0000', releaseDatePrecision: 'year' };
  const shape = m[3] !== undefined ? 'day' : m[2] !== undefined ? 'month' : 'year';
  const order = { year: 0, month: 1, day: 2 } as const;
  const said = album.release_date_precision;
  // Trust a coarser stated precision ("1981-01-01" with precision year), never a finer one.
  const precision = said !== undefined && order[said] <= order[shape] ? said : shape;
  const parts = [m[1], m[2], m[3]].slice(0, order[precision] + 1);
  return { releaseDate: parts.join('-'), releaseDatePrecision: precision };
}

/**
 * Maps a Spotify artist to an {@link Artist}. Missing genres (often empty in 2026) become `[]`,
 * missing images a null `imageUrl`.
 * @param addedAt Unix ms to record as the time the artist entered the catalog.
 *
 * @example
 * ```ts
 * const artist = artistFromSpotify({ id: '4gzpq5DPGxSnKTe4SA8HAU', name: 'Coldplay' }, Date.now());
 * ```
 */
export function artistFromSpotify(artist: SpotifyArtistLike, addedAt: number): Artist {
  return {
    id: artist.id,
    name: artist.name,
    genres: [...(artist.genres ?? [])],
    ownerUserId: null,
    imageUrl: artist.images?.[0]?.url ?? null,
    addedAt,
  };
}

/**
 * Maps a Spotify album (simplified or full) to an {@link Album}. Missing label, genres, UPC,
 * images, type or track count become null, `[]`, `'album'` or 0; a missing or malformed release
 * date becomes "0000" (year precision). Spotify's album objects do not say whether an album is
 * explicit: `explicit` is false and `variantOfAlbumId` null until {@link linkAlbumVariants}
 * derives both from the tracks.
 *
 * @example
 * ```ts
 * const album = albumFromSpotify(await client.albums.get(id), Date.now());
 * ```
 */
export function albumFromSpotify(album: SpotifyAlbumLike, addedAt: number): Album {
  return {
    id: album.id,
    name: album.name,
    type: albumType(album.album_type),
    artistIds: album.artists.map((a) => a.id),
    ...releaseDate(album),
    upc: album.external_ids?.upc ?? null,
    explicit: false,
    variantOfAlbumId: null,
    genres: [...(album.genres ?? [])],
    label: album.label ?? null,
    imageUrl: album.images?.[0]?.url ?? null,
    totalTracks: Math.max(0, Math.round(album.total_tracks ?? 0)),
    addedAt,
  };
}

/**
 * Maps a Spotify track to a {@link Track} (public, owned by its first artist). A missing ISRC
 * becomes null, missing disc and track numbers 1 and 0.
 *
 * @example
 * ```ts
 * const track = trackFromSpotify(await client.tracks.get(id), Date.now());
 * ```
 */
export function trackFromSpotify(track: SpotifyTrackLike, addedAt: number): Track {
  return {
    id: track.id,
    name: track.name,
    albumId: track.album.id,
    artistIds: track.artists.map((a) => a.id),
    ownerArtistId: track.artists[0]?.id ?? null,
    durationMs: Math.max(0, Math.round(track.duration_ms)),
    isrc: track.external_ids?.isrc ?? null,
    explicit: track.explicit,
    visibility: 'public',
    discNumber: Math.max(1, track.disc_number ?? 1),
    trackNumber: Math.max(0, track.track_number ?? 0),
    addedAt,
  };
}

/**
 * Maps a recently-played item to a {@link Play} (`source: 'api'`). The API does not report
 * skips, reasons, shuffle or offline state, so those are null; `msPlayed` is the track duration.
 *
 * @example
 * ```ts
 * const plays = page.items.map((item) => playFromSpotify(item, userId));
 * ```
 */
export function playFromSpotify(item: SpotifyPlayHistoryLike, userId: string): Play {
  return {
    userId,
    trackId: item.track.id,
    trackName: item.track.name,
    artistIds: item.track.artists.map((a) => a.id),
    artistName: item.track.artists[0]?.name ?? '',
    albumId: item.track.album.id,
    albumName: item.track.album.name,
    endedAt: parseIso(item.played_at),
    msPlayed: Math.max(0, Math.round(item.track.duration_ms)),
    skipped: null,
    reasonStart: null,
    reasonEnd: null,
    shuffle: null,
    offline: null,
    offlineTimestamp: null,
    platform: null,
    source: 'api',
  };
}

/**
 * Maps a saved track (`/me/tracks` item) to a {@link Like}.
 *
 * @example
 * ```ts
 * const likes = page.items.map((saved) => likeFromSpotify(saved, userId));
 * ```
 */
export function likeFromSpotify(saved: SpotifySavedTrackLike, userId: string): Like {
  return { userId, trackId: saved.track.id, likedAt: parseIso(saved.added_at) };
}

/**
 * Maps a playlist and its entries to a {@link Playlist}. Entries without a track id (local
 * files, removed tracks) are dropped; 2026 entries (`item`) and older ones (`track`) both work.
 *
 * @example
 * ```ts
 * const playlist = playlistFromSpotify(meta, entries, Date.now());
 * ```
 */
export function playlistFromSpotify(
  playlist: SpotifyPlaylistLike,
  entries: readonly SpotifyPlaylistEntryLike[],
  updatedAt: number,
): Playlist {
  const items: Playlist['items'][number][] = [];
  for (const entry of entries) {
    const id = (entry.item ?? entry.track)?.id;
    if (id === null || id === undefined) continue;
    items.push({
      trackId: id,
      addedAt: entry.added_at ? parseIso(entry.added_at) : 0,
      addedBy: entry.added_by?.id ?? null,
    });
  }
  return {
    id: playlist.id,
    ownerUserId: playlist.owner.id,
    name: playlist.name,
    description: playlist.description ?? '',
    public: playlist.public ?? false,
    collaborative: playlist.collaborative ?? false,
    snapshotId: playlist.snapshot_id,
    items,
    updatedAt,
  };
}

/** Album names without a trailing version note such as "(Explicit)", "[Clean Version]" or "- Clean". */
function baseAlbumName(name: string): string {
  return normalizeText(
    name.replace(
      /\s*(?:[([]\s*(?:explicit|clean|edited)(?:\s+(?:version|edition))?\s*[)\]]|-\s*(?:explicit|clean|edited)(?:\s+(?:version|edition))?)\s*$/i,
      '',
    ),
  );
}

/**
 * Derives which albums are explicit and links explicit and clean versions of the same release,
 * which Spotify lists as separate albums. An album is explicit when any of its `tracks` is. Two
 * albums are versions of each other when they have the same artists, type, release year and name
 * (ignoring case, accents and a trailing "(Explicit)"/"(Clean)"/"(Edited)" note) and exactly one
 * of them is explicit; each then points at the other through `variantOfAlbumId`. Albums without a
 * counterpart are returned with `explicit` updated and `variantOfAlbumId` unchanged. Pure; the
 * order of `albums` is kept.
 *
 * @example
 * ```ts
 * const [explicit, clean] = linkAlbumVariants([explicitAlbum, cleanAlbum], tracks);
 * explicit.variantOfAlbumId === clean.id; // true
 * ```
 */
export function linkAlbumVariants(
  albums: readonly Album[],
  tracks: readonly Pick<Track, 'albumId' | 'explicit'>[],
): Album[] {
  const explicitAlbums = new Set<string>();
  const withTracks = new Set<string>();
  for (const t of tracks) {
    if (t.albumId === null) continue;
    withTracks.add(t.albumId);
    if (t.explicit) explicitAlbums.add(t.albumId);
  }
  const out = albums.map((a) =>
    withTracks.has(a.id) ? { ...a, explicit: explicitAlbums.has(a.id) } : { ...a },
  );
  const groups = new Map<string, number[]>();
  out.forEach((a, i) => {
    const key = [
      a.type,
      a.releaseDate.slice(0, 4),
      [...a.artistIds].sort().join(','),
      baseAlbumName(a.name),
    ].join('\u0000');
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [i]);
    else list.push(i);
  });
  for (const indexes of groups.values()) {
    const explicit = indexes.filter((i) => out[i]!.explicit);
    const clean = indexes.filter((i) => !out[i]!.explicit);
    if (explicit.length !== 1 || clean.length !== 1) continue; // nothing, or ambiguous
    const e = out[explicit[0]!]!;
    const c = out[clean[0]!]!;
    out[explicit[0]!] = { ...e, variantOfAlbumId: c.id };
    out[clean[0]!] = { ...c, variantOfAlbumId: e.id };
  }
  return out;
}
