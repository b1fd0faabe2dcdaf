import {
  type AudioFeatureValues,
  estimateFeaturesFromGenres,
  FEATURE_KEYS,
  type FeatureKey,
  intensityOf,
  type ListeningProfile,
  type Signal,
} from '@spoti/analytics';
import type { SpotifyArtist, TimeRange } from '@spoti/client';
import type { ProfileSources } from './profile-sources.js';

/**
 * The share of trust a rank-weighted estimate from Spotify's top artists gets compared with the
 * same estimate over listening time: a top list says who, not how much.
 */
const TOP_LIST_TRUST = 0.6;

/** Spotify's top-items range closest to a period label. */
export function rangeOf(label: string): TimeRange {
  return label === 'short_term' || label === 'medium_term' ? label : 'long_term';
}

/**
 * The rank-weighted (1 / (rank + 1)) feature estimate of a top-artist list: measured audio
 * features of the range's top tracks by that artist when Extended Quota gave them, else the genre
 * prior of the artist's genres. Null when nothing is known about any of them.
 */
function tasteEstimate(
  artists: readonly SpotifyArtist[],
  genres: ReadonlyMap<string, readonly string[]>,
  audio: Readonly<Record<string, AudioFeatureValues>>,
  sources: ProfileSources,
  range: TimeRange,
): Record<FeatureKey, Signal> | null {
  const sums: Record<FeatureKey, number> = {
    energy: 0,
    valence: 0,
    acousticness: 0,
    instrumentalness: 0,
    danceability: 0,
    intensity: 0,
  };
  let totalWeight = 0;
  let coveredWeight = 0;
  let confidenceSum = 0;
  let measuredWeight = 0;
  for (const [rank, artist] of artists.entries()) {
    const weight = 1 / (rank + 1);
    totalWeight += weight;
    const measured = sources.topTracks[range]
      .filter((t) => t.artists[0]?.id === artist.id)
      .map((t) => audio[t.id])
      .filter((f): f is AudioFeatureValues => f !== undefined);
    let values: AudioFeatureValues;
    let confidence: number;
    if (measured.length > 0) {
      values = meanFeatures(measured);
      confidence = 1;
      measuredWeight += weight;
    } else {
      const estimate = estimateFeaturesFromGenres(genres.get(artist.id) ?? []);
      if (estimate === null) continue;
      values = estimate.features;
      confidence = estimate.confidence;
    }
    coveredWeight += weight;
    confidenceSum += weight * confidence;
    for (const key of FEATURE_KEYS) {
      sums[key] += weight * (key === 'intensity' ? intensityOf(values) : values[key]);
    }
  }
  if (coveredWeight === 0) return null;
  const source: Signal['source'] = measuredWeight >= totalWeight / 2 ? 'spotify' : 'estimated';
  const confidence = round((TOP_LIST_TRUST * confidenceSum) / totalWeight);
  const out = {} as Record<FeatureKey, Signal>;
  for (const key of FEATURE_KEYS) {
    out[key] = { value: round(clamp01(sums[key] / coveredWeight)), source, confidence };
  }
  return out;
}

function meanFeatures(list: readonly AudioFeatureValues[]): AudioFeatureValues {
  const mean = (pick: (f: AudioFeatureValues) => number) =>
    list.reduce((s, f) => s + pick(f), 0) / list.length;
  const loud = list.filter((f) => f.loudness !== undefined);
  return {
    energy: mean((f) => f.energy),
    valence: mean((f) => f.valence),
    acousticness: mean((f) => f.acousticness),
    instrumentalness: mean((f) => f.instrumentalness),
    danceability: mean((f) => f.danceability),
    ...(loud.length === list.length ? { loudness: mean((f) => f.loudness ?? 0) } : {}),
  };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** What Spotify's top lists added to a profile built from plays. */
export interface TopListAdditions {
  readonly signals: ListeningProfile['signals'];
  /** Feature signals replaced by the top-list estimate. */
  readonly replaced: readonly FeatureKey[];
  readonly topArtists: ListeningProfile['topArtists'];
  readonly topTracks: ListeningProfile['topTracks'];
}

/**
 * Fills in from Spotify's top lists for the profile's range what the history says little about:
 * feature signals whose confidence is below the top-list estimate's, and the top artist and track
 * lists up to `topLimit` (appended with 0 plays).
 */
export function withTopLists(
  built: ListeningProfile,
  sources: ProfileSources,
  genres: ReadonlyMap<string, readonly string[]>,
  topLimit: number,
): TopListAdditions {
  const range = rangeOf(built.period.label);
  const topArtists = sources.topArtists[range];
  const replaced: FeatureKey[] = [];
  const taste = tasteEstimate(topArtists, genres, sources.audioFeatures, sources, range);
  const signals = { ...built.signals };
  if (taste !== null) {
    for (const key of FEATURE_KEYS) {
      if (taste[key].confidence > signals[key].confidence) {
        signals[key] = taste[key];
        replaced.push(key);
      }
    }
  }
  const artistList = [...built.topArtists];
  const knownArtists = new Set(artistList.map((a) => a.id ?? `n:${a.name}`));
  for (const a of topArtists) {
    if (artistList.length >= topLimit) break;
    if (knownArtists.has(a.id)) continue;
    knownArtists.add(a.id);
    artistList.push({ id: a.id, name: a.name, plays: 0, msPlayed: 0 });
  }
  const trackList = [...built.topTracks];
  const knownTracks = new Set(trackList.map((t) => t.id ?? `n:${t.artistName}/${t.name}`));
  for (const t of sources.topTracks[range]) {
    if (trackList.length >= topLimit) break;
    if (knownTracks.has(t.id)) continue;
    knownTracks.add(t.id);
    trackList.push({
      id: t.id,
      name: t.name,
      artistName: t.artists[0]?.name ?? '',
      plays: 0,
      msPlayed: 0,
    });
  }
  return { signals, replaced, topArtists: artistList, topTracks: trackList };
}
