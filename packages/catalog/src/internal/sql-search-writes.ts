import { sql } from 'kysely';
import { documentTerms } from '../logic/search.js';
import type { StaticDoc } from './search-docs.js';
import { type SharedRowWrites, byCodeUnits } from './shared-row-writes.js';
import { type BulkColumn, unnestInsert } from './sql-bulk.js';
import { type Db, chunks, jsonb, upsertTail } from './sql-common.js';

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

/** Documents per statement of {@link writeDocs} (its parameters are one array per column). */
const DOC_STATEMENT_ROWS = 10_000;

/** The columns of `catalog_search_docs` a document is written to, one array per column. */
function docColumns(docs: readonly StaticDoc[]): BulkColumn[] {
  const col = (name: string, type: BulkColumn['type'], get: (d: StaticDoc) => unknown) => ({
    name,
    type,
    values: docs.map(get),
  });
  return [
    col('kind', 'text', (d) => d.kind),
    col('id', 'text', (d) => d.id),
    col('name', 'text', (d) => d.name),
    col('search_text', 'text', (d) => d.searchText),
    col('genres', 'jsonb', (d) => d.genres),
    col('artist_ids', 'jsonb', (d) => d.artistIds),
    col('album_id', 'text', (d) => d.albumId),
    col('released_at', 'int8', (d) => d.releasedAt),
    col('added_at', 'int8', (d) => d.addedAt),
  ];
}

/** The columns of a search document that an upsert compares and sets. */
const DOC_FIELDS = [
  'name',
  'search_text',
  'genres',
  'artist_ids',
  'album_id',
  'released_at',
  'added_at',
] as const;

/** Built once: it has no parameters. */
const DOC_UPSERT_TAIL = sql`${upsertTail('kind, id', 'catalog_search_docs', DOC_FIELDS)}
  returning id, search_text`;

/**
 * Upserts search documents of one kind and brings their postings in step, in one statement per
 * {@link DOC_STATEMENT_ROWS} documents: a document equal to the stored one is left as it is (no
 * new row version), and only the documents whose search text is new or changed have postings
 * deleted (those of words they no longer hold) and inserted. The terms of those postings become
 * pending. Documents are written in id order, and a document's postings only after its row is
 * locked, so concurrent writers cannot deadlock.
 */
export async function writeDocs(
  db: Db,
  docs: readonly StaticDoc[],
  vocabulary: SharedRowWrites,
): Promise<void> {
  if (docs.length === 0) return;
  const sorted = [...docs].sort((a, b) => byCodeUnits(a.id, b.id));
  const kind = sorted[0]!.kind;
  for (let from = 0; from < sorted.length; from += DOC_STATEMENT_ROWS) {
    const part = sorted.slice(from, from + DOC_STATEMENT_ROWS);
    const columns = docColumns(part);
    const wanted: { term: string; id: string }[] = [];
    for (const d of part)
      for (const term of documentTerms(d.searchText)) wanted.push({ term, id: d.id });
    const upsert = unnestInsert('catalog_search_docs', columns, 0, part.length, DOC_UPSERT_TAIL);
    const { rows } = await sql<{ term: string }>`with
      old as (
        select id, search_text from catalog_search_docs
        where kind = ${kind} and id = any(${part.map((d) => d.id)}::text[])
      ),
      up as (${upsert}),
      changed as (
        select up.id from up left join old on old.id = up.id
        where old.search_text is distinct from up.search_text
      ),
      wanted as (
        select * from unnest(${wanted.map((w) => w.term)}::text[], ${wanted.map((w) => w.id)}::text[])
          as w(term, id)
        where w.id in (select id from changed)
      ),
      gone as (
        delete from catalog_search_postings p
        where p.kind = ${kind} and p.id = any(array(select id from changed))
          and not exists (select 1 from wanted w where w.id = p.id and w.term = p.term)
      ),
      added as (${addPostings(kind, vocabulary.exclusive)})
      select distinct term from wanted`.execute(db);
    vocabulary.addTerms(rows.map((r) => r.term));
  }
}

/**
 * The postings of `wanted` (a CTE of `term, id`; unique pairs) that are not stored yet, inserted in
 * one order: with `on conflict do nothing`, or (`exclusive`) after a lookup of each key.
 */
function addPostings(kind: string, exclusive: boolean) {
  const rows = sql`select term, ${kind}, id from wanted w`;
  const order = sql`order by term collate "C", id collate "C"`;
  return exclusive
    ? sql`insert into catalog_search_postings (term, kind, id) ${rows}
        where not exists (select from catalog_search_postings p
          where p.term = w.term and p.kind = ${kind} and p.id = w.id) ${order}`
    : sql`insert into catalog_search_postings (term, kind, id) ${rows} ${order}
        on conflict do nothing`;
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
  await insertTerms(db, vocabulary.takeTerms(), vocabulary.exclusive);
}

/** Terms per statement of {@link insertTerms} (its parameters are one array per column). */
const TERM_STATEMENT_ROWS = 10_000;

/**
 * Adds terms (sorted) to the vocabulary, in their order: one statement per
 * {@link TERM_STATEMENT_ROWS} terms, one array parameter per column whatever their number, so the
 * statement's text (and its plan, where the driver keeps it) is the same for every batch.
 */
async function insertTerms(db: Db, terms: readonly string[], exclusive: boolean): Promise<void> {
  const tail = exclusive
    ? sql`where not exists (select from catalog_search_terms s where s.term = t.term) order by n`
    : sql`order by n on conflict do nothing`;
  for (let from = 0; from < terms.length; from += TERM_STATEMENT_ROWS) {
    const part = terms.slice(from, from + TERM_STATEMENT_ROWS);
    await sql`insert into catalog_search_terms (term, len)
      select term, len from unnest(${part}::text[], ${part.map((t) => t.length)}::int4[])
        with ordinality as t(term, len, n) ${tail}`.execute(db);
  }
}
