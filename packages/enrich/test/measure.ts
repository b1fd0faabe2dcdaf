import type { PlayIndex } from '@spoti/analytics';
import { type Face, PARAM_KEYS, type ParamKey, UNKNOWN_CONFIDENCE } from '@spoti/face';
import type { ArtistKey, TrackKey } from '../src/index.js';

/**
 * Face features whose signal is unknown: every numeric input has no evidence (confidence under
 * the face's threshold), or the genre input is missing. Skin tone and accessories come from the
 * plays themselves and are never unknown on a non-empty history.
 */
export function unknownFeatures(face: Face): ParamKey[] {
  return PARAM_KEYS.filter((key) => {
    const inputs = face.params[key].inputs;
    if (inputs.length === 0) return false;
    return inputs.every(
      (input) =>
        (input.name === 'topGenre.family' && input.value === null) ||
        (typeof input.value === 'number' && input.confidence < UNKNOWN_CONFIDENCE),
    );
  });
}

/** The distinct tracks (with Spotify ids) and artists of a play index, as enrichment input. */
export function keysOf(index: PlayIndex): { tracks: TrackKey[]; artists: ArtistKey[] } {
  const tracks: TrackKey[] = [];
  for (const track of index.tracks)
    if (track.id !== null)
      tracks.push({
        id: track.id,
        name: track.name,
        artistName: index.artists[track.artist]?.name ?? '',
      });
  const artists = index.artists.map((a) => ({ name: a.name, id: a.id }));
  return { tracks, artists };
}
