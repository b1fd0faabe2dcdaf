import { hashText, mixSeed } from '../world/prng.js';
import type { AudioFeatures, World, WorldArtist } from '../world/types.js';

/** A deterministic 0..1 number for a key of the world (same seed, same answer). */
export function unit(world: World, salt: number, key: string): number {
  return mixSeed(world.seed, salt, hashText(key)) / 0x1_0000_0000;
}

/** A stable UUID-shaped id for an entity of a provider (MusicBrainz MBIDs, ReccoBeats ids). */
export function uuidOf(world: World, salt: number, key: string): string {
  const hex = [0, 1, 2, 3]
    .map((i) => mixSeed(world.seed, salt, i, hashText(key)).toString(16).padStart(8, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The audio features an outside service reports for a track: the world's ground truth with a
 * small seeded error (another service measures the same audio a little differently).
 */
export function measuredFeatures(world: World, trackId: string, truth: AudioFeatures) {
  const jitter = (name: string, scale: number) =>
    (unit(world, 0xfea7, `${trackId}:${name}`) - 0.5) * 2 * scale;
  const in01 = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 1e4) / 1e4;
  return {
    acousticness: in01(truth.acousticness + jitter('a', 0.03)),
    danceability: in01(truth.danceability + jitter('d', 0.03)),
    energy: in01(truth.energy + jitter('e', 0.03)),
    instrumentalness: in01(truth.instrumentalness + jitter('i', 0.03)),
    liveness: in01(truth.liveness + jitter('l', 0.03)),
    loudness: Math.round((truth.loudness + jitter('o', 0.6)) * 1e3) / 1e3,
    speechiness: in01(truth.speechiness + jitter('s', 0.03)),
    tempo: Math.round((truth.tempo + jitter('t', 1.5)) * 1e3) / 1e3,
    valence: in01(truth.valence + jitter('v', 0.03)),
  };
}

/** Lower-cased, trimmed, with runs of spaces folded: how services compare artist names. */
export function normalName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Index of the world's artists by normalised name (names can repeat). */
export function artistsByName(world: World): Map<string, WorldArtist[]> {
  const index = new Map<string, WorldArtist[]>();
  for (const artist of world.artists.values()) {
    const key = normalName(artist.name);
    const list = index.get(key);
    if (list === undefined) index.set(key, [artist]);
    else list.push(artist);
  }
  return index;
}
