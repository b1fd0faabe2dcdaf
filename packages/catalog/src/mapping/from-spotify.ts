import type { Album } from '../domain/album.js';
import type { Like } from '../domain/annotations.js';
import type { Artist } from '../domain/artist.js';
import type { Play } from '../domain/play.js';
import type { Playlist } from '../domain/playlist.js';
import type { Track } from '../domain/track.js';

// Minimal structural shapes of Spotify Web API objects. Every field Spotify removed or made
// unreliable in 2026 is optional, so both the full and the reduced shapes (and @spoti/client's
// zod-derived types) fit without a run-time dependency on the client.

/** An image as Spotify returns it. */
export interface SpotifyImageLike {
  readonly url: string;
}
/** A simplified artist (embedded in tracks and albums). */
export interface SpotifyArtistRefLike {
  readonly id: string;
  readonly name: string;
}
/** A full artist; `genres`, `popularity`, `followers` may be missing (2026). */
export interface SpotifyArtistLike extends SpotifyArtistRefLike {
  readonly genres?: readonly string[] | undefined;
  readonly images?: readonly SpotifyImageLike[] | undefined;
  readonly popularity?: number | undefined;
  readonly followers?: { readonly total: number | null } | undefined;
}
/** A simplified or full album; `label`, `genres`, `external_ids`, `album_group`, `available_markets` may be missing. */
export interface SpotifyAlbumLike {
  readonly id: string;
  readonly name: string;
  readonly album_type: string;
  readonly total_tracks: number;
  readonly release_date: string;
  readonly release_date_precision: 'year' | 'month' | 'day';
  readonly artists: readonly SpotifyArtistRefLike[];
  readonly images?: readonly SpotifyImageLike[] | undefined;
  readonly label?: string | undefined;
  readonly genres?: readonly string[] | undefined;
  readonly popularity?: number | undefined;
  readonly album_group?: string | undefined;
  readonly available_markets?: readonly string[] | undefined;
  readonly external_ids?: { readonly upc?: string | undefined } | undefined;
}
/** A full track; `popularity`, `external_ids`, `linked_from`, `available_markets` may be missing. */
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
  readonly external_ids?: { readonly isrc?: string | undefined } | undefined;
}
/** One item of `/me/player/recently-played`. */
export interface SpotifyPlayHistoryLike {
  readonly track: SpotifyTrackLike;
  /** ISO time the play ended. */
  readonly played_at: string;
}
/** One item of `/me/tracks`. */
export interface SpotifySavedTrackLike {
  readonly added_at: string;
  readonly track: SpotifyTrackLike;
}
/** One playlist entry: 2026 responses name the object `item`, older ones `track`. */
export interface SpotifyPlaylistEntryLike {
  readonly added_at?: string | null | undefined;
  readonly added_by?: { readonly id: string } | null | undefined;
  readonly item?: { readonly id: string | null } | null | undefined;
  readonly track?: { readonly id: string | null } | null | undefined;
}
/** A playlist. */
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

function albumType(value: string): Album['type'] {
  const v = value.toLowerCase();
  return v === 'single' || v === 'compilation' ? v : 'album';
}

/**
 * Maps a Spotify artist to an {@link Artist}. Missing genres become `[]`.
 * @param addedAt Unix ms to record as the time the artist entered the catalog.
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

/** Maps a Spotify album (simplified or full) to an {@link Album}. */
export function albumFromSpotify(album: SpotifyAlbumLike, addedAt: number): Album {
  return {
    id: album.id,
    name: album.name,
    type: albumType(album.album_type),
    artistIds: album.artists.map((a) => a.id),
    releaseDate: album.release_date,
    releaseDatePrecision: album.release_date_precision,
    upc: album.external_ids?.upc ?? null,
    explicit: false,
    variantOfAlbumId: null,
    genres: [...(album.genres ?? [])],
    label: album.label ?? null,
    imageUrl: album.images?.[0]?.url ?? null,
    totalTracks: album.total_tracks,
    addedAt,
  };
}

/** Maps a Spotify track to a {@link Track} (public, owned by its first artist). */
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

/** Maps a saved track to a {@link Like}. */
export function likeFromSpotify(saved: SpotifySavedTrackLike, userId: string): Like {
  return { userId, trackId: saved.track.id, likedAt: parseIso(saved.added_at) };
}

/**
 * Maps a playlist and its entries to a {@link Playlist}. Entries without a track id (local
 * files, removed tracks) are dropped.
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
