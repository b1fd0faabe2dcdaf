import session from 'express-session';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from './schema.js';

/** What the server keeps in a session. */
declare module 'express-session' {
  interface SessionData {
    /** The signed-in user. */
    userId?: string;
    /** The synchronizer CSRF token of this session. */
    csrfToken?: string;
    /** A sign-in in progress: state, PKCE verifier and when it started. */
    login?: { state: string; verifier: string; startedAt: number; tz?: string };
    /** A one-time message for the next page. */
    flash?: string;
  }
}

const DAY_MS = 86_400_000;

/**
 * express-session's store on `spoti_server_sessions`. The user id is a column of its own so
 * that signing out everywhere and deleting an account remove every session of the user.
 */
export class KyselySessionStore extends session.Store {
  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly now: () => number,
  ) {
    super();
  }

  override get(
    sid: string,
    callback: (err: unknown, session?: session.SessionData | null) => void,
  ): void {
    this.db
      .selectFrom('spoti_server_sessions')
      .select(['data', 'expires_at'])
      .where('sid', '=', sid)
      .executeTakeFirst()
      .then((row) => {
        if (row === undefined || Number(row.expires_at) <= this.now()) return callback(null, null);
        callback(null, JSON.parse(row.data) as session.SessionData);
      }, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const expires = data.cookie.expires
      ? new Date(data.cookie.expires).getTime()
      : this.now() + DAY_MS;
    const values = {
      user_id: data.userId ?? null,
      data: JSON.stringify(data),
      expires_at: expires,
    };
    this.db
      .insertInto('spoti_server_sessions')
      .values({ sid, ...values })
      .onConflict((oc) => oc.column('sid').doUpdateSet(values))
      .execute()
      .then(
        () => callback?.(),
        (err) => callback?.(err),
      );
  }

  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.set(sid, data, callback);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.db
      .deleteFrom('spoti_server_sessions')
      .where('sid', '=', sid)
      .execute()
      .then(
        () => callback?.(),
        (err) => callback?.(err),
      );
  }

  /** Removes expired sessions; returns how many. */
  async prune(): Promise<number> {
    const result = await this.db
      .deleteFrom('spoti_server_sessions')
      .where('expires_at', '<=', this.now())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
