import { type Kysely, sql } from 'kysely';
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

/** The rows of a `randomTracks` draw (`setseed` first in the same transaction when seeded). */
export async function randomTrackRows(db: Db, o: z.output<typeof randomTracksOptionsSchema>) {
  const draw = async (tx: Db) => {
    if (o.seed !== undefined) await sql`select setseed(${o.seed}::float8)`.execute(tx);
    let q = tx
      .selectFrom('catalog_tracks as t')
      .selectAll('t')
      .where(visibleTrack('t', o.viewerArtistId));
    if (o.genre !== undefined) {
      const genre = genreId(o.genre);
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('catalog_search_docs as d')
            .select('d.id')
            .where('d.kind', '=', 'track')
            .whereRef('d.id', '=', 't.id')
            .where(sql<boolean>`d.genres ? ${genre}`),
        ),
      );
    }
    // A seeded draw must not depend on the physical row order: sort first, then shuffle.
    const ordered = o.seed === undefined ? q : q.orderBy(sql`t.id collate "C"`);
    return sql<
      Record<string, unknown>
    >`select * from (${ordered}) s order by random() limit ${o.count}`
      .execute(tx)
      .then((r) => r.rows);
  };
  if (o.seed === undefined) return draw(db);
  return db.isTransaction ? draw(db) : db.transaction().execute(draw);
}
