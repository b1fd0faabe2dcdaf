import session from 'express-session';
import type { Kysely, Selectable } from 'kysely';
import type { ServerDatabase, UsersTable } from './schema.js';
import { type ServerUser, toUser } from './users.js';

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
/** An unchanged session's expiry is written again once it has moved this far. */
const TOUCH_EVERY_MS = 60_000;
/** Sessions whose last written expiry is remembered. */
const TOUCHED_KEPT = 10_000;
/** User rows read with a session and not yet taken by the request (bounded, oldest dropped). */
const USERS_KEPT = 1_000;

/**
 * express-session's store on `spoti_server_sessions`. The user id is a column of its own so
 * that signing out everywhere and deleting an account remove every session of the user.
 */
export class KyselySessionStore extends session.Store {
  /** The expiry this process last wrote per session (most recent last, bounded). */
  readonly #touched = new Map<string, number>();
  /** The user row each session read brought along, until its request takes it. */
  readonly #users = new Map<string, Selectable<UsersTable>>();

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly now: () => number,
  ) {
    super();
  }

  /** Reads the session and, in the same query, its user's row (see {@link takeUser}). */
  override get(
    sid: string,
    callback: (err: unknown, session?: session.SessionData | null) => void,
  ): void {
    this.db
      .selectFrom('spoti_server_sessions as s')
      .leftJoin('spoti_server_users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select(['s.data', 's.expires_at'])
      .where('s.sid', '=', sid)
      .executeTakeFirst()
      .then((row) => {
        if (row === undefined || Number(row.expires_at) <= this.now()) return callback(null, null);
        const { data, expires_at: _expires, ...user } = row;
        if (user.id !== null) this.#keepUser(sid, user as Selectable<UsersTable>);
        callback(null, JSON.parse(data) as session.SessionData);
      }, callback);
  }

  /**
   * The user `userId` as the last read of session `sid` found it, once: a request that has just
   * read its session needs no second query for its user. Undefined when that read found another
   * user or none, or the row was already taken; the caller then reads the user itself.
   */
  takeUser(sid: string, userId: string): ServerUser | undefined {
    const row = this.#users.get(sid);
    this.#users.delete(sid);
    return row?.id === userId ? toUser(row) : undefined;
  }

  #keepUser(sid: string, row: Selectable<UsersTable>): void {
    this.#users.delete(sid);
    this.#users.set(sid, row);
    if (this.#users.size > USERS_KEPT) {
      const oldest = this.#users.keys().next().value;
      if (oldest !== undefined) this.#users.delete(oldest);
    }
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const expires = this.#expiresOf(data);
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
        () => {
          this.#remember(sid, expires);
          callback?.();
        },
        (err) => callback?.(err),
      );
  }

  /**
   * Moves the expiry of an unchanged session (express-session calls this after every request
   * that did not modify it). Only the expiry column is written, and only once it has moved by
   * {@link TOUCH_EVERY_MS} since this process last wrote it: a page view is then not a database
   * write.
   */
  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const expires = this.#expiresOf(data);
    const written = this.#touched.get(sid);
    if (written !== undefined && expires - written < TOUCH_EVERY_MS) {
      callback?.();
      return;
    }
    this.db
      .updateTable('spoti_server_sessions')
      .set({ expires_at: expires })
      .where('sid', '=', sid)
      .execute()
      .then(
        () => {
          this.#remember(sid, expires);
          callback?.();
        },
        (err) => callback?.(err),
      );
  }

  #expiresOf(data: session.SessionData): number {
    return data.cookie.expires ? new Date(data.cookie.expires).getTime() : this.now() + DAY_MS;
  }

  #remember(sid: string, expires: number): void {
    this.#touched.delete(sid);
    this.#touched.set(sid, expires);
    if (this.#touched.size > TOUCHED_KEPT) {
      const oldest = this.#touched.keys().next().value;
      if (oldest !== undefined) this.#touched.delete(oldest);
    }
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.#touched.delete(sid);
    this.#users.delete(sid);
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
