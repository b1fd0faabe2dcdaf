import { type Kysely, sql } from 'kysely';
import type { ScheduledUser } from './scheduler.js';

/** Every user with the fields the scheduler needs, from `spoti_server_users`. */
export async function listScheduledUsers(db: Kysely<unknown>): Promise<ScheduledUser[]> {
  const { rows } = await sql<{ id: string; time_zone: string; reconnect_required: boolean }>`
    select id, time_zone, reconnect_required from spoti_server_users order by id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    timeZone: r.time_zone,
    reconnectRequired: r.reconnect_required,
  }));
}
