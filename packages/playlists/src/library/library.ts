import type { Album, Artist, Play, PlaylistItem, Track } from '@spoti/catalog';
import { PlaylistsError } from '../errors/playlists-error.js';

/**
 * What rules are evaluated over: one listener's known tracks (the universe), the albums and
 * artists they belong to, the listener's saved tracks, play log and playlists. Entities are
 * `@spoti/catalog`'s. Tracks that are not in `tracks` are ignored wherever they appear.
 */
export interface LibraryInput {
  /** Every track a rule may return. */
  readonly tracks: readonly Track[];
  /** Albums of those tracks (release date, genres, label, clean/explicit pairing). */
  readonly albums?: readonly Album[];
  /** Artists of those tracks (names, genres). */
  readonly artists?: readonly Artist[];
  /** Saved (liked) tracks with the time they were saved. */
  readonly likes?: readonly { readonly trackId: string; readonly likedAt: number }[];
  /** The listener's play log (order does not matter; one pass builds the index). */
  readonly plays?: readonly Pick<
    Play,
    'trackId' | 'artistIds' | 'albumId' | 'endedAt' | 'msPlayed' | 'skipped'
  >[];
  /** Playlists that `inPlaylist` may name, with their items. */
  readonly playlists?: readonly {
    readonly id: string;
    readonly items: readonly Pick<PlaylistItem, 'trackId'>[];
  }[];
}

/** Options of {@link createLibraryIndex}. */
export interface LibraryIndexOptions {
  /** "Now" in Unix ms: relative dates (`inTheLast`, windows, `daysSinceLastPlay`) count back from it. */
  readonly now: number;
  /** IANA time zone of `playedAtHour` and `playedOnWeekday` (default `UTC`). */
  readonly timeZone?: string;
  /** A stream of at least this many ms is a play; shorter ones are skips (default 30 000). */
  readonly minPlayMs?: number;
}

/** The error for a library that is not what {@link LibraryInput} describes, naming where. */
export function badInput(path: string, message: string): PlaylistsError {
  return new PlaylistsError({
    code: 'INVALID_OPTIONS',
    message: `Invalid library: ${path}: ${message}`,
    issues: [{ path, message }],
  });
}
