import { type Kysely, type RawBuilder, sql } from 'kysely';
import { genreId } from '../domain/genre.js';
import { normalizeText } from '../logic/normalize-text.js';
import {
  type SearchHit,
  type SearchKind,
  type SearchResult,
  type searchQuerySchema,
  termMatch,
  typoBudget,
} from '../logic/search.js';
import type { CatalogDatabase } from './sql-schema.js';
import { hiddenTrack, visibleTrack } from './sql-listings.js';
import type { z } from 'zod';

type Db = Kysely<CatalogDatabase>;
type Query = z.output<typeof searchQuerySchema>;

/** The index terms one query token matches, each with its {@link termMatch} weight. */
interface TokenTerms {
  readonly terms: string[];
  readonly weights: number[];
}

const ASTRAL = /[\uD800-\uDFFF]/;

/**
 * A condition every term `termMatch(token, term) > 0` holds for, cheap to test in SQL so that
 * only a few of the index's terms travel to be weighed. Without typos: the token is a prefix. With
 * one: one edit leaves either the first character or the last one in place, in the term itself
 * (typo, length within one) or in its head of the token's length (typo inside a prefix). With two
 * (tokens of 8 letters or more), and for text outside the Basic Multilingual Plane (where SQL
 * counts characters and JavaScript UTF-16 units), every term of a possible length.
 */
function candidateTerm(token: string, budget: number): RawBuilder<boolean> {
  const length = token.length;
  if (budget === 0) return sql<boolean>`left(term, ${length}) = ${token}`;
  if (budget > 1 || ASTRAL.test(token)) return sql<boolean>`true`;
  const first = token.slice(0, 1);
  const last = token.slice(-1);
  return sql<boolean>`(left(term, 1) = ${first}
    or (len <= ${length + 1} and right(term, 1) = ${last})
    or (len > ${length} and substr(term, ${length}, 1) = ${last})
    or term ~ '[^\\u0001-\\uffff]')`;
}

/** Per query token, the indexed terms it matches; null when a token matches none. */
async function matchTerms(db: Db, tokens: readonly string[]): Promise<TokenTerms[] | null> {
  const matched: TokenTerms[] = [];
  for (const token of tokens) {
    const budget = typoBudget(token);
    const rows = await db
      .selectFrom('catalog_search_terms')
      .select('term')
      .where('len', '>=', Math.max(1, token.length - budget))
      .where(candidateTerm(token, budget))
      .execute();
    const terms: string[] = [];
    const weights: number[] = [];
    for (const { term } of rows) {
      const weight = termMatch(token, term);
      if (weight > 0) {
        terms.push(term);
        weights.push(weight);
      }
    }
    if (terms.length === 0) return null;
    matched.push({ terms, weights });
  }
  return matched;
}

/**
 * `scoreDocument` in SQL, bit for bit: each token's best weight summed in token order, the mean
 * times 0.9 rounded to 6 decimals half up (`floor(x + 0.5)`, as `Math.round`), plus 0.1 for an
 * exact name, at most 1. Every step is float8 arithmetic, as in JavaScript.
 */
function scoreSql(tokenCount: number, exact: RawBuilder<unknown>): RawBuilder<number> {
  const sum = sql.join(
    Array.from({ length: tokenCount }, (_, i) => sql.ref(`m.s${i}`)),
    sql` + `,
  );
  return sql<number>`least(1::float8, floor(((0::float8 + ${sum}) / ${tokenCount}::float8) * 0.9::float8 * 1000000::float8 + 0.5::float8) / 1000000::float8
    + case when ${exact} then 0.1::float8 else 0::float8 end)`;
}

/**
 * Whether the name of `d` normalises to `phrase` (the exact-name bonus), decided in SQL for ASCII
 * names (where `normalizeText` is: lower case, every run of other characters one space, trimmed)
 * and taken from `known` (`kind:id` keys checked in JavaScript) for the others. Only documents
 * whose tokens all match exactly and whose text starts with the phrase can qualify.
 */
function exactSql(
  tokenCount: number,
  phrase: string,
  known: readonly string[],
): RawBuilder<boolean> {
  const allExact = sql.join(
    Array.from({ length: tokenCount }, (_, i) => sql`${sql.ref(`m.s${i}`)} = 1`),
    sql` and `,
  );
  const ascii = sql`btrim(regexp_replace(translate(d.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '[^a-z0-9]+', ' ', 'g'), ' ') = ${phrase}`;
  return sql<boolean>`(${allExact} and ${startsWithPhrase(phrase)} and case
      when octet_length(d.name) = char_length(d.name) then ${ascii}
      else (d.kind || ':' || d.id) = any(${[...known]}::text[]) end)`;
}

/** `d.search_text` is `phrase` or begins with it and a space (where a document's name sits). */
function startsWithPhrase(phrase: string): RawBuilder<boolean> {
  return sql<boolean>`left(d.search_text, ${[...phrase].length + 1}) in (${phrase}, ${`${phrase} `})`;
}

/**
 * The documents matching every token, with each token's best weight as `s0`, `s1`, ... (grouped by
 * hashing: a sort of every posting on the text keys would cost several times more).
 */
function matchesCte(matched: readonly TokenTerms[]): RawBuilder<unknown> {
  const tok: number[] = [];
  const terms: string[] = [];
  const weights: number[] = [];
  matched.forEach((m, i) => {
    for (let j = 0; j < m.terms.length; j++) {
      tok.push(i);
      terms.push(m.terms[j] as string);
      weights.push(m.weights[j] as number);
    }
  });
  const best = sql.join(
    matched.map((_, i) => sql`max(q.w) filter (where q.tok = ${i}) as ${sql.ref(`s${i}`)}`),
  );
  return sql`select p.kind, p.id, ${best}
    from unnest(${tok}::int4[], ${terms}::text[], ${weights}::float8[]) as q(tok, term, w)
    join catalog_search_postings p on p.term = q.term
    group by p.kind, p.id
    having ${sql.join(
      matched.map((_, i) => sql`bool_or(q.tok = ${i})`),
      sql` and `,
    )}`;
}

/** The filters of the query and the private-track rule, on `d`. */
function filtersSql(q: Query): RawBuilder<boolean> {
  const where: RawBuilder<unknown>[] = [
    sql`not exists (select 1 from catalog_tracks vt where d.kind = 'track' and vt.id = d.id and not ${visibleTrack('vt', q.viewerArtistId)})`,
  ];
  if (q.kinds !== undefined) where.push(sql`d.kind = any(${[...q.kinds]}::text[])`);
  if (q.genre !== undefined) where.push(sql`d.genres ? ${genreId(q.genre)}`);
  if (q.artistId !== undefined) where.push(sql`d.artist_ids ? ${q.artistId}`);
  if (q.albumId !== undefined) where.push(sql`d.album_id = ${q.albumId}`);
  if (q.releasedFrom !== undefined) where.push(sql`d.released_at >= ${q.releasedFrom}::bigint`);
  if (q.releasedTo !== undefined) where.push(sql`d.released_at < ${q.releasedTo}::bigint`);
  return sql<boolean>`${sql.join(where, sql` and `)}`;
}

/**
 * The counters of the tracks `viewer` may not see, summed by the album and the primary artist each
 * track names now, as one row: `counts` maps `kind:id` to `[plays, likes]`. Taken off those items'
 * counters, so an album or artist counts only the plays and likes of the tracks the viewer may see.
 * Private tracks are few: one index probe of the counters per hidden track (`offset 0` keeps it a
 * probe), grouped both ways in one pass; one row, which matching documents look it up in (the planner cannot size the matching
 * documents, and joined them to a table of counts in a nested loop).
 */
function hiddenCounts(viewer: string | null) {
  return sql`select coalesce(jsonb_object_agg(g.key, jsonb_build_array(g.plays, g.likes)), '{}') as counts
    from (
      select case when grouping(x.album_id) = 0 then 'album:' || x.album_id
          else 'artist:' || x.primary_artist_id end as key,
        sum(x.plays) as plays, sum(x.likes) as likes
      from (
        select ht.album_id, ht.primary_artist_id, st.plays, st.likes
        from catalog_tracks ht
        cross join lateral (select hs.plays, hs.likes from catalog_item_stats hs
          where hs.kind = 'track' and hs.id = ht.id offset 0) st
        where ${hiddenTrack('ht', viewer)}
      ) x
      group by grouping sets ((x.album_id), (x.primary_artist_id))
    ) g
    where g.key is not null`;
}

/**
 * The plays and likes of a document `d`, without those of the tracks the viewer may not see: the
 * counters (`s`) less the hidden tracks' (`h`) for albums and artists; nothing to take off when
 * the query cannot return albums or artists.
 */
function countsWithoutHidden(q: Query) {
  const plain = { cte: sql``, plays: sql`coalesce(s.plays, 0)`, likes: sql`coalesce(s.likes, 0)` };
  if (q.kinds !== undefined && !q.kinds.includes('album') && !q.kinds.includes('artist'))
    return plain;
  const less = (column: string, at: number) =>
    sql`case when d.kind in ('album', 'artist') then greatest(0, coalesce(${sql.ref(`s.${column}`)}, 0) - coalesce(((select counts from hidden) -> (d.kind || ':' || d.id) ->> ${sql.lit(at)})::bigint, 0)) else coalesce(${sql.ref(`s.${column}`)}, 0) end`;
  return {
    cte: sql`with hidden as materialized (${hiddenCounts(q.viewerArtistId)})`,
    plays: less('plays', 0),
    likes: less('likes', 1),
  };
}

/** The order of `searchDocuments`: the sort asked for, then kind and id. */
function orderSql(sort: Query['sort']): RawBuilder<unknown> {
  const first =
    sort === 'relevance'
      ? sql`score desc, plays desc`
      : sort === 'plays'
        ? sql`plays desc`
        : sort === 'likes'
          ? sql`likes desc`
          : sort === 'releaseDate'
            ? sql`d.released_at desc nulls last`
            : sql`d.added_at desc`;
  return sql`${first}, d.kind collate "C", d.id collate "C"`;
}

interface PageRow {
  kind: string;
  id: string;
  name: string;
  score: number | string;
  total: number | string;
  unsure: number | string;
}

/**
 * The search of the SQL stores, ranked and paged in SQL with the results of `searchDocuments`:
 * the term index gives each token's matching terms and weights, the postings give each document's
 * best weight per token, and scoring, filters, sorting, the total and the page are one query.
 * Names outside ASCII that could earn the exact-name bonus are checked in JavaScript (a second
 * query, only when there are such names).
 */
export async function searchSql(
  db: Db,
  q: Query,
  tokens: readonly string[],
): Promise<SearchResult> {
  if (q.kinds !== undefined && q.kinds.length === 0) return { total: 0, hits: [] };
  const matched = tokens.length === 0 ? [] : await matchTerms(db, tokens);
  if (matched === null) return { total: 0, hits: [] };
  const phrase = tokens.join(' ');
  const page = (known: readonly string[] | null, offset: number) => {
    const exact = matched.length === 0 ? sql`false` : exactSql(matched.length, phrase, known ?? []);
    // Names outside ASCII that may be exact and are not decided yet.
    const unsure =
      known === null && matched.length > 0
        ? sql`count(*) filter (where octet_length(d.name) <> char_length(d.name) and ${startsWithPhrase(phrase)}) over ()`
        : sql`0`;
    const from =
      matched.length === 0
        ? sql`catalog_search_docs d`
        : sql`(${matchesCte(matched)}) m join catalog_search_docs d on d.kind = m.kind and d.id = m.id`;
    const counted = countsWithoutHidden(q);
    return sql<PageRow>`
      ${counted.cte}
      select d.kind, d.id, d.name, ${matched.length === 0 ? sql`1::float8` : scoreSql(matched.length, exact)} as score,
        ${counted.plays} as plays, ${counted.likes} as likes,
        count(*) over () as total, ${unsure} as unsure
      from ${from}
      left join catalog_item_stats s on s.kind = d.kind and s.id = d.id
      where ${filtersSql(q)}
      order by ${orderSql(q.sort)}
      offset ${offset} limit ${q.limit}`.execute(db);
  };
  let rows = (await page(null, q.offset)).rows;
  if (rows.length > 0 && Number(rows[0]?.unsure) > 0) {
    rows = (await page(await exactNames(db, q, matched, phrase), q.offset)).rows;
  }
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && q.offset > 0) total = Number((await page([], 0)).rows[0]?.total ?? 0);
  const hits: SearchHit[] = rows.map((r) => ({
    kind: r.kind as SearchKind,
    id: r.id,
    name: r.name,
    score: Number(r.score),
  }));
  return { total, hits };
}

/** `kind:id` of the matching documents outside ASCII whose name normalises to `phrase`. */
async function exactNames(
  db: Db,
  q: Query,
  matched: readonly TokenTerms[],
  phrase: string,
): Promise<string[]> {
  const r = await sql<{ kind: string; id: string; name: string }>`
    select d.kind, d.id, d.name
    from (${matchesCte(matched)}) m join catalog_search_docs d on d.kind = m.kind and d.id = m.id
    where octet_length(d.name) <> char_length(d.name) and ${startsWithPhrase(phrase)}
      and ${filtersSql(q)}`.execute(db);
  return r.rows.filter((d) => normalizeText(d.name) === phrase).map((d) => `${d.kind}:${d.id}`);
}
