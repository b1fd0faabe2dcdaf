import { sql } from 'kysely';
import { type Recommendation, type RecommendationTrack, recommend } from '../logic/recommend.js';
import type { StoreRecommendOptions } from '../store/catalog-store.js';
import { MAX_CANDIDATES, candidateSeeds } from './recommend-plan.js';
import { readLikes } from './sql-annotations.js';
import { type Db, strings } from './sql-common.js';
import { artistsById } from './sql-library.js';

type Seeds = ReturnType<typeof candidateSeeds>;

interface RecRow {
  id: string;
  name: string;
  artist_ids: unknown;
  explicit: boolean;
  genres: unknown;
  plays: number | null;
}

function toRec(r: RecRow): RecommendationTrack {
  return {
    id: r.id,
    name: r.name,
    artistIds: strings(r.artist_ids),
    genres: strings(r.genres),
    explicit: r.explicit,
    plays: r.plays ?? 0,
  };
}

/** Tracks with their genres (from the search documents) and play counters. */
function recTracks(db: Db) {
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

/** The listener's played tracks with their play counts, by id. */
async function listenerHistory(db: Db, userId: string) {
  const rows = await recTracks(db)
    .innerJoin('catalog_user_track_stats as u', (j) =>
      j.onRef('u.track_id', '=', 't.id').on('u.user_id', '=', userId),
    )
    .select('u.play_count')
    .orderBy(sql`t.id collate "C"`)
    .execute();
  return rows.map((r) => ({ track: toRec(r), count: r.play_count }));
}

/** Public tracks of the seed artists or genres the listener has neither played nor liked. */
async function candidateTracks(db: Db, userId: string, seeds: Seeds) {
  const rows = await recTracks(db)
    .where('t.visibility', '=', 'public')
    .where((eb) => {
      const ors = [];
      if (seeds.artists.length > 0) ors.push(eb('t.primary_artist_id', 'in', seeds.artists));
      if (seeds.genres.length > 0)
        ors.push(eb(sql<boolean>`d.genres ?| array[${sql.join(seeds.genres)}]::text[]`, '=', true));
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
  return rows.map(toRec);
}

/** Recommendations read in SQL: history, seeds, candidates, then `recommend`. */
export async function recommendSql(
  db: Db,
  options: StoreRecommendOptions,
): Promise<Recommendation[]> {
  const { userId, favouriteGenres = [], ...tuning } = options;
  const history = await listenerHistory(db, userId);
  const liked = (await readLikes(db, userId))
    .map((l) => l.trackId)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const seeds = candidateSeeds(history, liked, favouriteGenres);
  if (seeds.artists.length === 0 && seeds.genres.length === 0) return [];
  const candidates = await candidateTracks(db, userId, seeds);
  const names = await artistsById(
    db,
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
