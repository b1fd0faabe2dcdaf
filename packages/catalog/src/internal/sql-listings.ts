import { type Kysely, type RawBuilder, sql } from 'kysely';
import { genreId } from '../domain/genre.js';
import type { listTracksOptionsSchema, randomTracksOptionsSchema } from '../logic/listing.js';
import type { CatalogDatabase } from './sql-schema.js';
import type { z } from 'zod';

type Db = Kysely<CatalogDatabase>;

/**
 * A condition true when the track `t` may be shown to `viewer` (see `isVisibleTo`): public, or
 * private and owned by the viewer's artist profile.
 */
export function visibleTrack(alias: string, viewer: string | null) {
  return sql<boolean>`(${sql.ref(`${alias}.visibility`)} = 'public' or (${viewer}::text is not null and ${sql.ref(`${alias}.owner_artist_id`)} = ${viewer}::text))`;
}

/**
 * The ids of the tracks `viewer` may not see (not public, and not the viewer's own), for
 * `not in (...)`: a read of the small index of the tracks that are not public.
 */
export function hiddenTrackIds(viewer: string | null) {
  return sql`select id from catalog_tracks h where ${hiddenTrack('h', viewer)}`;
}

/** True for a track (`alias`) that `viewer` may not see: the negation of {@link visibleTrack}. */
export function hiddenTrack(alias: string, viewer: string | null) {
  return sql<boolean>`(${sql.ref(`${alias}.visibility`)} <> 'public' and (${viewer}::text is null or ${sql.ref(`${alias}.owner_artist_id`)} is distinct from ${viewer}::text))`;
}

/** The rows of one page of `listTracks`, and the total. */
export async function listTrackRows(db: Db, o: z.output<typeof listTracksOptionsSchema>) {
  let base = db.selectFrom('catalog_tracks as t').where(visibleTrack('t', o.viewerArtistId));
  if (o.albumId !== undefined) base = base.where('t.album_id', '=', o.albumId);
  if (o.artistId !== undefined)
    base = base.where(sql<boolean>`t.artist_ids @> ${JSON.stringify([o.artistId])}::jsonb`);
  const countRow = await base
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  let page = base.selectAll('t');
  page =
    o.albumId !== undefined
      ? page.orderBy('t.disc_number').orderBy('t.track_number').orderBy(sql`t.id collate "C"`)
      : page.orderBy('t.added_at', 'desc').orderBy(sql`t.id collate "C"`);
  const rows = await page.offset(o.offset).limit(o.limit).execute();
  return { total: Number(countRow.n), rows };
}

/** The genre condition of a draw: `t` is a track of `genre` (through its search document). */
function ofGenre(genre: string) {
  return sql<boolean>`exists (select 1 from catalog_search_docs d where d.kind = 'track' and d.id = t.id and d.genres ? ${genreId(genre)})`;
}

/**
 * `count` tracks of a genre drawn from its documents alone (the GIN index of their genres), the
 * tracks the viewer may not see left out through the small index of tracks that are not public;
 * only the drawn tracks' rows are read, in the draw's order.
 */
function genreDraw(db: Db, genre: string, count: number, viewer: string | null) {
  return sql<Record<string, unknown>>`
    select t.* from (
      select d.id, random() as r from catalog_search_docs d
      where d.kind = 'track' and d.genres ? ${genreId(genre)}
        and d.id not in (${hiddenTrackIds(viewer)})
      order by r limit ${count}
    ) p join catalog_tracks t on t.id = p.id
    order by p.r`
    .execute(db)
    .then((r) => r.rows);
}

/**
 * An unseeded draw without sorting every visible track by `random()`. With a genre, the genre's
 * tracks come from the documents' GIN index. Without, a Bernoulli sample of the table sized for
 * about 8 times `count` rows (plus 64) is drawn from; when it holds fewer than `count` visible
 * tracks, the whole table is. Either way every set of `count` tracks is equally likely.
 */
async function unseededDraw(db: Db, o: z.output<typeof randomTracksOptionsSchema>) {
  const visible = visibleTrack('t', o.viewerArtistId);
  const draw = (from: RawBuilder<unknown>, where: RawBuilder<boolean>) =>
    sql<
      Record<string, unknown>
    >`select t.* from ${from} where ${where} order by random() limit ${o.count}`
      .execute(db)
      .then((r) => r.rows);
  if (o.genre !== undefined) {
    const picked = await genreDraw(db, o.genre, o.count, o.viewerArtistId);
    if (picked.length === o.count) return picked;
    // Fewer: the genre has fewer visible tracks than asked (then this draw returns the same), or
    // a document has no track row; either way the joined draw is exact.
    return draw(
      sql`catalog_search_docs d join catalog_tracks t on t.id = d.id`,
      sql<boolean>`d.kind = 'track' and d.genres ? ${genreId(o.genre)} and ${visible}`,
    );
  }
  const estimate = await sql<{ n: number | string | null }>`
    select reltuples::float8 as n from pg_class where oid = to_regclass('catalog_tracks')`.execute(
    db,
  );
  const rows = Number(estimate.rows[0]?.n ?? -1);
  const percent = rows > 0 ? (100 * (o.count * 8 + 64)) / rows : 100;
  if (percent < 50) {
    const sampled = await draw(
      sql`catalog_tracks t tablesample bernoulli (${sql.lit(Number(percent.toFixed(6)))})`,
      visible,
    );
    if (sampled.length === o.count) return sampled;
  }
  return draw(sql`catalog_tracks t`, visible);
}

/** The rows of a `randomTracks` draw (`setseed` first in the same transaction when seeded). */
export async function randomTrackRows(db: Db, o: z.output<typeof randomTracksOptionsSchema>) {
  if (o.seed === undefined) return unseededDraw(db, o);
  const draw = async (tx: Db) => {
    await sql`select setseed(${o.seed}::float8)`.execute(tx);
    let q = tx
      .selectFrom('catalog_tracks as t')
      .selectAll('t')
      .where(visibleTrack('t', o.viewerArtistId));
    if (o.genre !== undefined) q = q.where(ofGenre(o.genre));
    // A seeded draw must not depend on the physical row order: sort first, then shuffle.
    const ordered = q.orderBy(sql`t.id collate "C"`);
    return sql<
      Record<string, unknown>
    >`select * from (${ordered}) s order by random() limit ${o.count}`
      .execute(tx)
      .then((r) => r.rows);
  };
  return db.isTransaction ? draw(db) : db.transaction().execute(draw);
}
