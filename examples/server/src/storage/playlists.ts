import type { Kysely, Selectable } from 'kysely';
import type { Ms, ServerDatabase } from './schema.js';

type NullableMs = number | string | null;

/** `spoti_server_playlists`: one row per smart playlist a user touched (see `0004-playlists`). */
export interface PlaylistsTable {
  user_id: string;
  slug: string;
  kind: 'builtin' | 'custom';
  name: string;
  /** The text query of a custom rule, as the user wrote it; null for built-ins. */
  query: string | null;
  auto_refresh: boolean;
  spotify_playlist_id: string | null;
  lease_token: string | null;
  lease_until: NullableMs;
  last_synced_at: NullableMs;
  last_track_count: number | null;
  last_write_calls: number | null;
  last_error: string | null;
  created_at: Ms;
  updated_at: Ms;
}

/** One stored smart playlist. */
export interface StoredPlaylist {
  readonly userId: string;
  readonly slug: string;
  readonly kind: 'builtin' | 'custom';
  readonly name: string;
  readonly query: string | null;
  readonly autoRefresh: boolean;
  /** The Spotify playlist this rule owns, once known. */
  readonly spotifyPlaylistId: string | null;
  readonly lastSyncedAt: number | null;
  readonly lastTrackCount: number | null;
  readonly lastWriteCalls: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
}

/** What one save to Spotify ended with, recorded on the row. */
export type SaveOutcome =
  | { readonly ok: true; readonly trackCount: number; readonly writeCalls: number }
  | { readonly ok: false; readonly error: string };

type Db = Kysely<{ spoti_server_playlists: PlaylistsTable }>;

const num = (v: NullableMs): number | null => (v === null ? null : Number(v));

const toStored = (r: Selectable<PlaylistsTable>): StoredPlaylist => ({
  userId: r.user_id,
  slug: r.slug,
  kind: r.kind,
  name: r.name,
  query: r.query,
  autoRefresh: r.auto_refresh,
  spotifyPlaylistId: r.spotify_playlist_id,
  lastSyncedAt: num(r.last_synced_at),
  lastTrackCount: r.last_track_count,
  lastWriteCalls: r.last_write_calls,
  lastError: r.last_error,
  createdAt: Number(r.created_at),
});

async function list(db: Db, userId: string): Promise<StoredPlaylist[]> {
  const rows = await db
    .selectFrom('spoti_server_playlists')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('slug')
    .execute();
  return rows.map(toStored);
}

async function get(db: Db, userId: string, slug: string): Promise<StoredPlaylist | null> {
  const r = await db
    .selectFrom('spoti_server_playlists')
    .selectAll()
    .where('user_id', '=', userId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return r === undefined ? null : toStored(r);
}

async function countCustom(db: Db, userId: string): Promise<number> {
  const r = await db
    .selectFrom('spoti_server_playlists')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('kind', '=', 'custom')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Inserts the row unless it exists. Returns true when this call created it (a repeated
 * request finds the row and changes nothing).
 */
async function insert(
  db: Db,
  entry: {
    userId: string;
    slug: string;
    kind: 'builtin' | 'custom';
    name: string;
    query: string | null;
    now: number;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('spoti_server_playlists')
    .values({
      user_id: entry.userId,
      slug: entry.slug,
      kind: entry.kind,
      name: entry.name,
      query: entry.query,
      auto_refresh: false,
      spotify_playlist_id: null,
      lease_token: null,
      lease_until: null,
      last_synced_at: null,
      last_track_count: null,
      last_write_calls: null,
      last_error: null,
      created_at: entry.now,
      updated_at: entry.now,
    })
    .onConflict((oc) => oc.columns(['user_id', 'slug']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

async function setAutoRefresh(
  db: Db,
  userId: string,
  slug: string,
  on: boolean,
  now: number,
): Promise<void> {
  await row(db, userId, slug).set({ auto_refresh: on, updated_at: now }).execute();
}

async function setSpotifyPlaylistId(db: Db, userId: string, slug: string, id: string, now: number) {
  await row(db, userId, slug).set({ spotify_playlist_id: id, updated_at: now }).execute();
}

/** Removes a rule; true when it existed. */
async function remove(db: Db, userId: string, slug: string): Promise<boolean> {
  const result = await db
    .deleteFrom('spoti_server_playlists')
    .where('user_id', '=', userId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Rules that refresh themselves. */
async function listAutoRefresh(db: Db, userId: string): Promise<StoredPlaylist[]> {
  const rows = await db
    .selectFrom('spoti_server_playlists')
    .selectAll()
    .where('user_id', '=', userId)
    .where('auto_refresh', '=', true)
    .orderBy('created_at')
    .orderBy('slug')
    .execute();
  return rows.map(toStored);
}

/**
 * Takes the rule's save lease until `until` unless another save holds an unexpired one, so
 * two saves of one rule (a double click, the scheduler and a click, two processes) never
 * run at once. True when taken.
 */
async function claim(
  db: Db,
  userId: string,
  slug: string,
  lease: { token: string; until: number; now: number },
): Promise<boolean> {
  const result = await row(db, userId, slug)
    .set({ lease_token: lease.token, lease_until: lease.until })
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', lease.now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records a save's outcome and gives the lease back (only the holder's token does). */
async function finish(
  db: Db,
  userId: string,
  slug: string,
  token: string,
  outcome: SaveOutcome,
  now: number,
) {
  await row(db, userId, slug)
    .set(
      outcome.ok
        ? {
            lease_token: null,
            lease_until: null,
            last_synced_at: now,
            last_track_count: outcome.trackCount,
            last_write_calls: outcome.writeCalls,
            last_error: null,
            updated_at: now,
          }
        : { lease_token: null, lease_until: null, last_error: outcome.error, updated_at: now },
    )
    .where('lease_token', '=', token)
    .execute();
}

/** An update of one playlist row of a user. */
function row(db: Db, userId: string, slug: string) {
  return db
    .updateTable('spoti_server_playlists')
    .where('user_id', '=', userId)
    .where('slug', '=', slug);
}

/**
 * The `spoti_server_playlists` table: which rules a user keeps, whether each refreshes itself,
 * and the Spotify playlist each owns. Every write is safe to repeat (inserts do nothing when the
 * row exists; updates set values).
 */
export function createPlaylistRepository(database: Kysely<ServerDatabase>) {
  const db = database as unknown as Db;
  return {
    list: list.bind(null, db),
    get: get.bind(null, db),
    countCustom: countCustom.bind(null, db),
    insert: insert.bind(null, db),
    setAutoRefresh: setAutoRefresh.bind(null, db),
    setSpotifyPlaylistId: setSpotifyPlaylistId.bind(null, db),
    remove: remove.bind(null, db),
    listAutoRefresh: listAutoRefresh.bind(null, db),
    claim: claim.bind(null, db),
    finish: finish.bind(null, db),
  };
}

/** The repository {@link createPlaylistRepository} returns. */
export type PlaylistRepository = ReturnType<typeof createPlaylistRepository>;
