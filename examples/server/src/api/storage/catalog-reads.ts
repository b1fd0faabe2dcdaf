import { type Kysely, sql } from 'kysely';

/**
 * Reads over the catalog's tables that its store interface lacks (followers, recent plays newest
 * first, subscriptions by member). Same SQL on PGlite and PostgreSQL.
 */
export class CatalogReads {
  constructor(private readonly db: Kysely<unknown>) {}

  async followerCount(artistId: string): Promise<number> {
    const r = await sql<{ n: number | string }>`
      select count(*) as n from catalog_follows where artist_id = ${artistId}`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /** A page of an artist's followers, newest first. */
  async followers(
    artistId: string,
    offset: number,
    limit: number,
  ): Promise<{
    total: number;
    items: { userId: string; displayName: string; followedAt: number }[];
  }> {
    const total = await this.followerCount(artistId);
    const r = await sql<{
      user_id: string;
      followed_at: number | string;
      display_name: string | null;
    }>`
      select f.user_id, f.followed_at, u.data->>'displayName' as display_name
      from catalog_follows f left join catalog_users u on u.id = f.user_id
      where f.artist_id = ${artistId}
      order by f.followed_at desc, f.user_id collate "C"
      offset ${offset} limit ${limit}`.execute(this.db);
    return {
      total,
      items: r.rows.map((row) => ({
        userId: row.user_id,
        displayName: row.display_name ?? '',
        followedAt: Number(row.followed_at),
      })),
    };
  }

  /** A listener's latest plays, newest first. */
  async recentPlays(
    userId: string,
    limit: number,
  ): Promise<{ trackId: string | null; trackName: string; endedAt: number; msPlayed: number }[]> {
    const r = await sql<{
      track_id: string | null;
      track_name: string;
      ended_at: number | string;
      ms_played: number;
    }>`
      select track_id, track_name, ended_at, ms_played from catalog_plays
      where user_id = ${userId}
      order by ended_at desc, track_id collate "C"
      limit ${limit}`.execute(this.db);
    return r.rows.map((row) => ({
      trackId: row.track_id,
      trackName: row.track_name,
      endedAt: Number(row.ended_at),
      msPlayed: Number(row.ms_played),
    }));
  }

  /** Albums that list `artistId` among their artists, newest release first. */
  async albumIdsOf(
    artistId: string,
    offset: number,
    limit: number,
  ): Promise<{ total: number; ids: string[] }> {
    const filter = sql`artist_ids @> ${JSON.stringify([artistId])}::jsonb`;
    const n = await sql<{
      n: number | string;
    }>`select count(*) as n from catalog_albums where ${filter}`.execute(this.db);
    const r = await sql<{ id: string }>`
      select id from catalog_albums where ${filter}
      order by release_date desc, id collate "C" offset ${offset} limit ${limit}`.execute(this.db);
    return { total: Number(n.rows[0]?.n ?? 0), ids: r.rows.map((row) => row.id) };
  }

  /** Names of tracks, albums or artists by id. */
  async names(
    kind: 'track' | 'album' | 'artist',
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const table =
      kind === 'track' ? 'catalog_tracks' : kind === 'album' ? 'catalog_albums' : 'catalog_artists';
    const r = await sql<{ id: string; name: string }>`
      select id, name from ${sql.table(table)} where id in (${sql.join(ids)})`.execute(this.db);
    return new Map(r.rows.map((row) => [row.id, row.name]));
  }

  /** The subscriptions (catalog `data` JSON) a user owns or is a member of. */
  async subscriptionsOf(userId: string): Promise<unknown[]> {
    const r = await sql<{ data: unknown }>`
      select data from catalog_subscriptions
      where data->>'ownerUserId' = ${userId} or data->'memberUserIds' ? ${userId}`.execute(this.db);
    return r.rows.map((row) => (typeof row.data === 'string' ? JSON.parse(row.data) : row.data));
  }
}
