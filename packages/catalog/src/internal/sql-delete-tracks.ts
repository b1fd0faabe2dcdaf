import { sql } from 'kysely';
import type { DeleteTracksResult, KeptTrackReason } from '../store/catalog-store.js';
import { deleteTracksResult } from './delete-tracks.js';
import { type Db, chunks } from './sql-common.js';

// Deleting tracks nothing refers to, with everything derived from them.

/**
 * Locks the wanted tracks that exist and sorts them: every reason that keeps one (into
 * `reasons`), and the ids no reason keeps.
 */
async function sortWanted(
  db: Db,
  part: readonly string[],
  reasons: Map<KeptTrackReason, Set<string>>,
): Promise<string[]> {
  const found = await sql<{ id: string; reason: KeptTrackReason }>`
          with wanted as (select id from catalog_tracks where id = any(${part}::text[]) for update)
          select w.id, 'played' as reason from wanted w
            where exists (select 1 from catalog_plays p where p.track_id = w.id)
              or exists (select 1 from catalog_plays_superseded p where p.track_id = w.id)
          union all
          select w.id, 'liked' from wanted w
            where exists (select 1 from catalog_likes l where l.track_id = w.id)
          union all
          select w.id, 'favourite' from wanted w
            where exists (select 1 from catalog_favourites f where f.kind = 'track' and f.target_id = w.id)
          union all
          select w.id, 'in-playlist' from wanted w
            where exists (select 1 from catalog_playlist_items i where i.track_id = w.id)
          union all
          select w.id, 'deletable' from wanted w`.execute(db);
  const candidates: string[] = [];
  for (const row of found.rows) {
    if ((row.reason as string) === 'deletable') candidates.push(row.id);
    else {
      const set = reasons.get(row.reason) ?? new Set<string>();
      set.add(row.id);
      reasons.set(row.reason, set);
    }
  }
  const keep = new Set([...reasons.values()].flatMap((set) => [...set]));
  return candidates.filter((id) => !keep.has(id));
}

/** Tables with rows derived from a track, keyed by `(kind, id)`. */
const DERIVED_TABLES = [
  'catalog_search_postings',
  'catalog_search_docs',
  'catalog_item_stats',
] as const;

/**
 * Deletes the tracks `doomed` with their search documents, counters (with the trending totals), and
 * the search terms no other document uses; returns the ids deleted.
 */
async function deleteDoomed(db: Db, doomed: readonly string[]): Promise<string[]> {
  const terms = await db
    .selectFrom('catalog_search_postings')
    .select('term')
    .distinct()
    .where('kind', '=', 'track')
    .where('id', 'in', doomed)
    .execute();
  for (const table of DERIVED_TABLES) {
    await db.deleteFrom(table).where('kind', '=', 'track').where('id', 'in', doomed).execute();
  }
  if (terms.length > 0) {
    await db
      .deleteFrom('catalog_search_terms')
      .where(sql<boolean>`term = any(${terms.map((t) => t.term)}::text[])`)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('catalog_search_postings as p')
              .select('p.term')
              .whereRef('p.term', '=', 'catalog_search_terms.term'),
          ),
        ),
      )
      .execute();
  }
  const rows = await db
    .deleteFrom('catalog_tracks')
    .where('id', 'in', doomed)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Deletes the tracks `ids` that nothing keeps (run inside a transaction). */
export async function deleteTracksSql(db: Db, ids: readonly string[]): Promise<DeleteTracksResult> {
  const reasons = new Map<KeptTrackReason, Set<string>>();
  const deleted = new Set<string>();
  for (const part of chunks(ids, 1)) {
    const doomed = await sortWanted(db, part, reasons);
    if (doomed.length === 0) continue;
    for (const id of await deleteDoomed(db, doomed)) deleted.add(id);
  }
  return deleteTracksResult(ids, reasons, deleted);
}
