import { sql } from 'kysely';
import type { Db } from './sql-common.js';

/** Rows written per table since its last ANALYZE, and its size then. */
export type TableGrowth = Map<string, { pending: number; analyzed: number }>;

/** Tables whose planner statistics bulk writes invalidate. */
const STATS_TABLES = {
  artists: [
    'catalog_artists',
    'catalog_search_docs',
    'catalog_search_postings',
    'catalog_search_terms',
  ],
  albums: [
    'catalog_albums',
    'catalog_search_docs',
    'catalog_search_postings',
    'catalog_search_terms',
  ],
  tracks: [
    'catalog_tracks',
    'catalog_search_docs',
    'catalog_search_postings',
    'catalog_search_terms',
  ],
  plays: ['catalog_plays', 'catalog_user_track_stats', 'catalog_item_stats'],
} as const;

/** A group of tables a bulk write touches. */
export type StatsGroup = keyof typeof STATS_TABLES;

/**
 * Keeps planner statistics and the visibility map (index-only scans) fresh after bulk writes
 * outside a transaction: a table is analysed (PGlite: vacuumed and analysed, it has no
 * autovacuum) once the rows written since its last ANALYZE reach its size then (at least
 * 1,000). Stale statistics turn joins into nested loops, and make the play log look tiny right
 * after a bulk import, so that a keyset page of `iteratePlays` sorts a listener's whole
 * history instead of reading the index in order. On PostgreSQL the play log is only analysed
 * (ANALYZE samples a fixed number of rows): vacuuming it is left to autovacuum, which would
 * cost the import more than the writes.
 */
export async function refreshStats(
  db: Db,
  backend: 'pglite' | 'postgres',
  growth: TableGrowth,
  group: StatsGroup,
  rows: number,
): Promise<void> {
  for (const table of STATS_TABLES[group]) {
    const g = growth.get(table) ?? { pending: 0, analyzed: 0 };
    g.pending += rows;
    if (g.pending >= Math.max(1000, g.analyzed)) {
      // The play log is read by index-only scans (trending), which need the visibility map
      // that only VACUUM sets; the catalog tables need planner statistics only, and ANALYZE
      // samples instead of reading the whole table (shorter pauses in a poll).
      if (group === 'plays' && backend === 'pglite')
        await sql`vacuum (analyze) ${sql.table(table)}`.execute(db);
      else await sql`analyze ${sql.table(table)}`.execute(db);
      g.analyzed += g.pending;
      g.pending = 0;
    }
    growth.set(table, g);
  }
}
