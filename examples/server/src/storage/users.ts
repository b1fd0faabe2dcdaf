import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ServerDatabase, UsersTable } from './schema.js';

/** A signed-in person as the pages see them. */
export interface ServerUser {
  readonly id: string;
  readonly spotifyId: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly timeZone: string;
  readonly reconnectRequired: boolean;
  readonly createdAt: number;
  readonly lastSyncAt: number | null;
}

/** A user row as the pages see it. */
export const toUser = (r: Selectable<UsersTable>): ServerUser => ({
  id: r.id,
  spotifyId: r.spotify_id,
  displayName: r.display_name,
  email: r.email,
  timeZone: r.time_zone,
  reconnectRequired: r.reconnect_required,
  createdAt: Number(r.created_at),
  lastSyncAt: r.last_sync_at === null ? null : Number(r.last_sync_at),
});

/** The `spoti_server_users` table. */
export function createUserRepository(db: Kysely<ServerDatabase>) {
  return {
    async get(id: string): Promise<ServerUser | null> {
      const row = await db
        .selectFrom('spoti_server_users')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? null : toUser(row);
    },
    /** Creates the user on first sign-in, or refreshes the name and clears "reconnect". */
    async upsertFromSpotify(input: {
      spotifyId: string;
      displayName: string;
      timeZone: string;
      now: number;
    }): Promise<ServerUser> {
      const row = await db
        .insertInto('spoti_server_users')
        .values({
          id: randomUUID(),
          spotify_id: input.spotifyId,
          display_name: input.displayName,
          email: null,
          time_zone: input.timeZone,
          reconnect_required: false,
          created_at: input.now,
          updated_at: input.now,
          last_sync_at: null,
        })
        .onConflict((oc) =>
          oc.column('spotify_id').doUpdateSet({
            display_name: input.displayName,
            reconnect_required: false,
            updated_at: input.now,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    },
    async updateSettings(
      id: string,
      settings: { timeZone: string; email: string | null; now: number },
    ) {
      await db
        .updateTable('spoti_server_users')
        .set({ time_zone: settings.timeZone, email: settings.email, updated_at: settings.now })
        .where('id', '=', id)
        .execute();
    },
    async setReconnectRequired(id: string, required: boolean, now: number) {
      await db
        .updateTable('spoti_server_users')
        .set({ reconnect_required: required, updated_at: now })
        .where('id', '=', id)
        .execute();
    },
    async markSynced(id: string, now: number) {
      await db
        .updateTable('spoti_server_users')
        .set({ last_sync_at: now })
        .where('id', '=', id)
        .execute();
    },
    /** Ids of every user, for the public trends. */
    async listIds(): Promise<string[]> {
      const rows = await db.selectFrom('spoti_server_users').select('id').orderBy('id').execute();
      return rows.map((r) => r.id);
    },
  };
}

/** The repository {@link createUserRepository} returns. */
export type UserRepository = ReturnType<typeof createUserRepository>;
