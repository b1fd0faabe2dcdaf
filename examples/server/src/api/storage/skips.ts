import type { Kysely } from 'kysely';
import type { PlatformDatabase } from './platform-schema.js';

/** The skips of each listener in `spoti_server_api_skips`. */
export class SkipRepository {
  constructor(private readonly db: Kysely<PlatformDatabase>) {}

  /** Skip times (Unix ms) of `userId` since `from`. */
  async since(userId: string, from: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('spoti_server_api_skips')
      .select('skipped_at')
      .where('user_id', '=', userId)
      .where('skipped_at', '>', from)
      .execute();
    return rows.map((r) => Number(r.skipped_at));
  }

  /** True when this exact skip (user, song, time) was recorded before. */
  async has(userId: string, songId: string, at: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('spoti_server_api_skips')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('song_id', '=', songId)
      .where('skipped_at', '=', at)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Records a skip (a repeat of the same skip is ignored). */
  async record(userId: string, songId: string, at: number): Promise<void> {
    await this.db
      .insertInto('spoti_server_api_skips')
      .values({ user_id: userId, song_id: songId, skipped_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'skipped_at', 'song_id']).doNothing())
      .execute();
  }
}
