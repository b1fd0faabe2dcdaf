import { sql } from 'kysely';
import { documentTerms } from '../logic/search.js';
import type { StaticDoc } from './search-docs.js';
import { type SharedRowWrites, byCodeUnits } from './shared-row-writes.js';
import { type Db, chunks, fromExcluded, jsonb } from './sql-common.js';
import type { SearchDocsTable } from './sql-schema.js';

/** A search document as a `catalog_search_docs` row. */
function docRow(d: StaticDoc) {
  return {
    kind: d.kind,
    id: d.id,
    name: d.name,
    search_text: d.searchText,
    genres: jsonb(d.genres),
    artist_ids: jsonb(d.artistIds),
    album_id: d.albumId,
    released_at: d.releasedAt,
    added_at: d.addedAt,
  };
}

/** Upserts search documents of one kind (sorted by id) and replaces their postings. */
export async function writeDocs(
  db: Db,
  docs: readonly StaticDoc[],
  vocabulary: SharedRowWrites,
): Promise<void> {
  if (docs.length === 0) return;
  const sorted = [...docs].sort((a, b) => byCodeUnits(a.id, b.id));
  for (const part of chunks(sorted, 9)) {
    await db
      .insertInto('catalog_search_docs')
      .values(part.map(docRow))
      .onConflict((oc) =>
        oc
          .columns(['kind', 'id'])
          .doUpdateSet(
            fromExcluded<SearchDocsTable>([
              'name',
              'search_text',
              'genres',
              'artist_ids',
              'album_id',
              'released_at',
              'added_at',
            ]),
          ),
      )
      .execute();
  }
  const kind = sorted[0]!.kind;
  for (const part of chunks(sorted, 1)) {
    await db
      .deleteFrom('catalog_search_postings')
      .where('kind', '=', kind)
      .where(
        'id',
        'in',
        part.map((d) => d.id),
      )
      .execute();
  }
  await writePostings(db, sorted, vocabulary);
}

/** Inserts the postings of documents (sorted by term, kind, id); their terms become pending. */
async function writePostings(
  db: Db,
  docs: readonly StaticDoc[],
  vocabulary: SharedRowWrites,
): Promise<void> {
  const postings: { term: string; kind: string; id: string }[] = [];
  for (const d of docs) {
    for (const term of documentTerms(d.searchText)) postings.push({ term, kind: d.kind, id: d.id });
  }
  postings.sort(
    (a, b) => byCodeUnits(a.term, b.term) || byCodeUnits(a.kind, b.kind) || byCodeUnits(a.id, b.id),
  );
  for (const part of chunks(postings, 3)) {
    await db
      .insertInto('catalog_search_postings')
      .values(part)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  vocabulary.addTerms(postings.map((p) => p.term));
}

/** Adds like deltas to the per-item counters. */
async function bumpLikes(
  db: Db,
  rows: readonly { kind: string; id: string; by: number }[],
): Promise<void> {
  for (const part of chunks(rows, 3)) {
    await db
      .insertInto('catalog_item_stats')
      .values(part.map((r) => ({ kind: r.kind, id: r.id, plays: 0, likes: r.by })))
      .onConflict((oc) =>
        oc
          .columns(['kind', 'id'])
          .doUpdateSet({ likes: sql`catalog_item_stats.likes + excluded.likes` }),
      )
      .execute();
  }
}

/**
 * Writes the pending shared rows: like counters, genre documents that do not exist yet (the
 * first one per id wins, as in memory) with their postings, then every pending term, each in
 * key order.
 */
export async function writeShared(db: Db, vocabulary: SharedRowWrites): Promise<void> {
  const likes = vocabulary.takeLikes();
  if (likes.length > 0) await bumpLikes(db, likes);
  const inserted: StaticDoc[] = [];
  for (const part of chunks(vocabulary.takeGenres(), 9)) {
    const rows = await db
      .insertInto('catalog_search_docs')
      .values(part.map((d) => ({ ...docRow(d), album_id: null, released_at: null })))
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    const ids = new Set(rows.map((r) => r.id));
    for (const d of part) if (ids.has(d.id)) inserted.push(d);
  }
  await writePostings(db, inserted, vocabulary);
  for (const part of chunks(vocabulary.takeTerms(), 2)) {
    await db
      .insertInto('catalog_search_terms')
      .values(part.map((term) => ({ term, len: term.length })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
