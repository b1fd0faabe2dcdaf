import type { RecommendInput, RecommendationTrack } from '../logic/recommend.js';
import { listenerAffinities } from '../logic/recommend.js';
import { genreId } from '../domain/genre.js';

/** How many top artists / genres seed the candidate set, and how many candidates at most. */
export const TOP_ARTISTS = 20;
export const TOP_GENRES = 10;
export const MAX_CANDIDATES = 1000;

function top(map: Map<string, number>, n: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([k]) => k);
}

/** The seeds of the candidate query, identical for every backend. */
export function candidateSeeds(
  history: RecommendInput['history'],
  likedTrackIds: readonly string[],
  favouriteGenres: readonly string[],
): { artists: string[]; genres: string[]; favouriteGenres: string[] } {
  const fav = favouriteGenres.map(genreId);
  const aff = listenerAffinities({ history, likedTrackIds, favouriteGenres: fav, candidates: [] });
  return {
    artists: top(aff.artists, TOP_ARTISTS),
    genres: top(aff.genres, TOP_GENRES),
    favouriteGenres: fav,
  };
}

/** Orders candidates the way the SQL query does: plays desc, id asc. */
export function compareCandidates(a: RecommendationTrack, b: RecommendationTrack): number {
  return b.plays - a.plays || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
