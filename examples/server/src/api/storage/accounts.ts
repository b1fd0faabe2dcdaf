import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { freshCachePerDatabase } from '../catalog/fresh-cache.js';
import type { PlatformDatabase, PlatformRole } from './platform-schema.js';

/** A platform account as the API sees it (never the password hash). */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly role: PlatformRole;
  readonly artistId: string | null;
  readonly webUserId: string | null;
  readonly displayName: string;
  readonly createdAt: number;
}

/** An API token's description (never the token itself, which is shown once). */
export interface ApiTokenInfo {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

const TOKEN_PREFIX = 'spoti_pat_';

/** SHA-256 of a token: tokens are 256 random bits, so a fast hash is enough to store them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when `value` looks like one of our tokens (cheap check before a lookup). */
export function isTokenShaped(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && /^[A-Za-z0-9_-]{40,80}$/.test(value);
}

function toAccount(r: {
  user_id: string;
  email: string;
  role: string;
  artist_id: string | null;
  web_user_id: string | null;
  display_name: string;
  created_at: number | string;
}): Account {
  return {
    id: r.user_id,
    email: r.email,
    role: r.role as PlatformRole,
    artistId: r.artist_id,
    webUserId: r.web_user_id,
    displayName: r.display_name,
    createdAt: Number(r.created_at),
  };
}

/** How long a token's account is served from memory before it is looked up again. */
export const TOKEN_LOOKUP_CACHE_MS = 2_000;

type TokenLookup = { account: Account; tokenId: string } | null;

/**
 * Recent token lookups, per database (every repository on one database shares them): a client
 * that streams sends a request per range, so its token is looked up once per
 * {@link TOKEN_LOOKUP_CACHE_MS}. Every write of an account or token through a repository, and
 * {@link forgetTokenLookups}, clears them at once; only a write from another process is seen up to
 * that long later.
 */
const tokenLookupsOf = freshCachePerDatabase<TokenLookup>(TOKEN_LOOKUP_CACHE_MS);

/** Forgets the token lookups kept for `db` (after accounts or tokens changed outside a repository). */
export function forgetTokenLookups(db: object): void {
  tokenLookupsOf(db).clear();
}

/** Accounts and their tokens in `spoti_server_api_accounts` / `spoti_server_api_tokens`. */
export class AccountRepository {
  constructor(
    private readonly db: Kysely<PlatformDatabase>,
    private readonly clock: { now(): number },
  ) {}

  /**
   * Creates an account; answers null when the email is taken (the unique index decides, so two
   * concurrent registrations cannot both win).
   */
  async create(input: {
    email: string;
    passwordHash: string;
    displayName: string;
    role: PlatformRole;
  }): Promise<Account | null> {
    const now = this.clock.now();
    const id = `u_${randomUUID().replaceAll('-', '')}`;
    const rows = await this.db
      .insertInto('spoti_server_api_accounts')
      .values({
        user_id: id,
        email: input.email,
        password_hash: input.passwordHash,
        role: input.role,
        artist_id: null,
        web_user_id: null,
        display_name: input.displayName,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .execute();
    const row = rows[0];
    return row === undefined ? null : toAccount(row);
  }

  async byId(id: string): Promise<Account | null> {
    const row = await this.db
      .selectFrom('spoti_server_api_accounts')
      .selectAll()
      .where('user_id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : toAccount(row);
  }

  /** The account and its password hash, by (lower-cased) email. */
  async credentialsOf(email: string): Promise<{ account: Account; passwordHash: string } | null> {
    const row = await this.db
      .selectFrom('spoti_server_api_accounts')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
    return row === undefined ? null : { account: toAccount(row), passwordHash: row.password_hash };
  }

  async update(
    id: string,
    patch: {
      role?: PlatformRole;
      artistId?: string | null;
      displayName?: string;
      webUserId?: string | null;
    },
  ): Promise<Account | null> {
    const rows = await this.db
      .updateTable('spoti_server_api_accounts')
      .set({
        updated_at: this.clock.now(),
        ...(patch.role === undefined ? {} : { role: patch.role }),
        ...(patch.artistId === undefined ? {} : { artist_id: patch.artistId }),
        ...(patch.displayName === undefined ? {} : { display_name: patch.displayName }),
        ...(patch.webUserId === undefined ? {} : { web_user_id: patch.webUserId }),
      })
      .where('user_id', '=', id)
      .returningAll()
      .execute();
    forgetTokenLookups(this.db);
    const row = rows[0];
    return row === undefined ? null : toAccount(row);
  }

  /** The account linked to a Spotify-signed-in web user, or null. */
  async byWebUser(webUserId: string): Promise<Account | null> {
    const row = await this.db
      .selectFrom('spoti_server_api_accounts')
      .selectAll()
      .where('web_user_id', '=', webUserId)
      .executeTakeFirst();
    return row === undefined ? null : toAccount(row);
  }

  /**
   * Links the account `id` to the web user (unlinking whatever account that web user had);
   * false when the account is linked to another web user already.
   */
  async linkWebUser(id: string, webUserId: string): Promise<boolean> {
    const linked = await this.db.transaction().execute(async (tx) => {
      const current = await tx
        .selectFrom('spoti_server_api_accounts')
        .select('web_user_id')
        .where('user_id', '=', id)
        .executeTakeFirst();
      if (current === undefined) return false;
      if (current.web_user_id !== null && current.web_user_id !== webUserId) return false;
      await tx
        .updateTable('spoti_server_api_accounts')
        .set({ web_user_id: null, updated_at: this.clock.now() })
        .where('web_user_id', '=', webUserId)
        .where('user_id', '<>', id)
        .execute();
      await tx
        .updateTable('spoti_server_api_accounts')
        .set({ web_user_id: webUserId, updated_at: this.clock.now() })
        .where('user_id', '=', id)
        .execute();
      return true;
    });
    forgetTokenLookups(this.db);
    return linked;
  }

  /** Removes the link of a web user to its platform account (no-op without one). */
  async unlinkWebUser(webUserId: string): Promise<void> {
    await this.db
      .updateTable('spoti_server_api_accounts')
      .set({ web_user_id: null, updated_at: this.clock.now() })
      .where('web_user_id', '=', webUserId)
      .execute();
    forgetTokenLookups(this.db);
  }

  /** Creates a token; the plain token is in the answer and nowhere else. */
  async createToken(userId: string, name: string): Promise<{ token: string; info: ApiTokenInfo }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const info: ApiTokenInfo = {
      id: `tok_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      name,
      createdAt: this.clock.now(),
      lastUsedAt: null,
    };
    await this.db
      .insertInto('spoti_server_api_tokens')
      .values({
        id: info.id,
        user_id: userId,
        token_hash: hashToken(token),
        name,
        created_at: info.createdAt,
        last_used_at: null,
      })
      .execute();
    return { token, info };
  }

  /**
   * The account a token belongs to, and the token's id; marks the token used (per minute). Kept
   * in memory for {@link TOKEN_LOOKUP_CACHE_MS}.
   */
  authenticate(token: string): Promise<{ account: Account; tokenId: string } | null> {
    return tokenLookupsOf(this.db).get(hashToken(token), () => this.#lookUpToken(token));
  }

  async #lookUpToken(token: string): Promise<{ account: Account; tokenId: string } | null> {
    const row = await this.db
      .selectFrom('spoti_server_api_tokens as t')
      .innerJoin('spoti_server_api_accounts as a', 'a.user_id', 't.user_id')
      .select([
        't.id as token_id',
        't.last_used_at',
        'a.user_id',
        'a.email',
        'a.role',
        'a.artist_id',
        'a.web_user_id',
        'a.display_name',
        'a.created_at',
      ])
      .where('t.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (row === undefined) return null;
    const now = this.clock.now();
    if (row.last_used_at === null || now - Number(row.last_used_at) > 60_000) {
      await this.db
        .updateTable('spoti_server_api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', row.token_id)
        .execute();
    }
    return { account: toAccount(row), tokenId: row.token_id };
  }

  async listTokens(userId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.db
      .selectFrom('spoti_server_api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: Number(r.created_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    }));
  }

  /** Revokes a token of `userId`; true when it existed (a repeat answers false). */
  async revokeToken(userId: string, tokenId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('spoti_server_api_tokens')
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    forgetTokenLookups(this.db);
    return Number(result.numDeletedRows) > 0;
  }
}
