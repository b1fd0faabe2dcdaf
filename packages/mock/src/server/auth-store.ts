import { createHash, randomBytes } from 'node:crypto';
import { OAuthError } from './api-error.js';
import type { IssuedTokens, MockClient } from './types.js';

export interface AccessTokenRecord {
  readonly kind: 'user' | 'app';
  readonly clientId: string;
  readonly userId: string | undefined;
  readonly scopes: readonly string[];
  expiresAtMs: number;
  /** The authorization the token belongs to (user tokens), revoked as a whole. */
  readonly grantId?: string;
}

interface RefreshTokenRecord {
  readonly clientId: string;
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly authorizedAtMs: number;
  expiresAtMs: number;
  readonly grantId: string;
  /** Issued to a confidential client (code exchange without PKCE): refreshing needs its secret. */
  readonly confidential: boolean;
}

interface CodeRecord {
  readonly clientId: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly codeChallenge: string | undefined;
  readonly expiresAtMs: number;
  used: boolean;
  /** The authorization the first exchange created (revoked when the code is used again). */
  grantId: string | undefined;
}

const CODE_TTL_MS = 10 * 60_000;

function sixMonthsAfter(ms: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + 6);
  return date.getTime();
}

function token(prefix: string): string {
  return prefix + randomBytes(24).toString('base64url');
}

/** Codes, access and refresh tokens, all timed on the mock clock. */
export class AuthStore {
  private readonly access = new Map<string, AccessTokenRecord>();
  private readonly refresh = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, CodeRecord>();

  constructor(
    private readonly now: () => number,
    private readonly ttlSeconds: number,
    private readonly clients: readonly MockClient[] | undefined,
  ) {}

  /** Null when any client is accepted; otherwise the registered client or undefined. */
  client(clientId: string): MockClient | undefined | null {
    if (this.clients === undefined) return null;
    return this.clients.find((c) => c.clientId === clientId);
  }

  /** Checks a client id (and a secret when one is presented or required). */
  checkClient(
    clientId: string | undefined,
    secret: string | undefined,
    secretRequired: boolean,
  ): string {
    if (clientId === undefined || clientId === '')
      throw new OAuthError('invalid_client', 'Invalid client');
    const registered = this.client(clientId);
    if (registered === undefined) throw new OAuthError('invalid_client', 'Invalid client');
    const presented = secret !== undefined && secret !== '';
    if (secretRequired && !presented) {
      throw new OAuthError('invalid_client', 'Invalid client secret');
    }
    // A client registered without a secret has none: any secret presented for it is wrong.
    if (registered !== null && presented && secret !== registered.clientSecret) {
      throw new OAuthError('invalid_client', 'Invalid client secret');
    }
    return clientId;
  }

  createCode(record: Omit<CodeRecord, 'expiresAtMs' | 'used' | 'grantId'>): string {
    const code = token('AQ');
    this.codes.set(code, {
      ...record,
      expiresAtMs: this.now() + CODE_TTL_MS,
      used: false,
      grantId: undefined,
    });
    return code;
  }

  /** Revokes every access and refresh token of one authorization. */
  private revokeGrant(grantId: string): void {
    for (const [key, record] of this.access)
      if (record.grantId === grantId) this.access.delete(key);
    for (const [key, record] of this.refresh)
      if (record.grantId === grantId) this.refresh.delete(key);
  }

  exchangeCode(params: {
    code: string | undefined;
    redirectUri: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    codeVerifier: string | undefined;
  }): IssuedTokens {
    const record = params.code === undefined ? undefined : this.codes.get(params.code);
    if (record === undefined) throw new OAuthError('invalid_grant', 'Invalid authorization code');
    if (record.used) {
      // RFC 6749 §4.1.2: a code used twice revokes what its first exchange issued.
      if (record.grantId !== undefined) this.revokeGrant(record.grantId);
      throw new OAuthError('invalid_grant', 'Invalid authorization code');
    }
    const clientId = this.checkClient(
      params.clientId,
      params.clientSecret,
      record.codeChallenge === undefined,
    );
    record.used = true;
    if (this.now() > record.expiresAtMs)
      throw new OAuthError('invalid_grant', 'Authorization code expired');
    if (clientId !== record.clientId)
      throw new OAuthError('invalid_grant', 'Invalid authorization code');
    if (params.redirectUri !== record.redirectUri)
      throw new OAuthError('invalid_grant', 'Invalid redirect URI');
    if (record.codeChallenge !== undefined) {
      if (params.codeVerifier === undefined)
        throw new OAuthError('invalid_request', 'code_verifier required');
      const computed = createHash('sha256').update(params.codeVerifier).digest('base64url');
      if (computed !== record.codeChallenge)
        throw new OAuthError('invalid_grant', 'code_verifier was incorrect');
    }
    const issued = this.issue({
      clientId,
      userId: record.userId,
      scopes: record.scopes,
      confidential: record.codeChallenge === undefined,
    });
    record.grantId = this.refresh.get(issued.refresh_token)?.grantId;
    return issued;
  }

  refreshTokens(params: {
    refreshToken: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
  }): IssuedTokens {
    const record =
      params.refreshToken === undefined ? undefined : this.refresh.get(params.refreshToken);
    // A confidential client must authenticate; a public (PKCE) client names itself.
    const clientId = this.checkClient(
      params.clientId ?? (record?.confidential === false ? record.clientId : undefined),
      params.clientSecret,
      record?.confidential ?? false,
    );
    if (record === undefined || record.clientId !== clientId) {
      throw new OAuthError('invalid_grant', 'Invalid refresh token');
    }
    if (this.now() >= record.expiresAtMs)
      throw new OAuthError('invalid_grant', 'Refresh token revoked');
    const accessToken = token('BQ');
    const expiresIn = this.ttlSeconds;
    this.access.set(accessToken, {
      kind: 'user',
      clientId,
      userId: record.userId,
      scopes: record.scopes,
      expiresAtMs: this.now() + expiresIn * 1000,
      grantId: record.grantId,
    });
    return {
      access_token: accessToken,
      refresh_token: params.refreshToken as string,
      expires_in: expiresIn,
      token_type: 'Bearer',
      scope: record.scopes.join(' '),
    };
  }

  clientCredentials(
    clientId: string | undefined,
    secret: string | undefined,
  ): Omit<IssuedTokens, 'refresh_token' | 'scope'> {
    const id = this.checkClient(clientId, secret, true);
    const accessToken = token('BQ');
    this.access.set(accessToken, {
      kind: 'app',
      clientId: id,
      userId: undefined,
      scopes: [],
      expiresAtMs: this.now() + this.ttlSeconds * 1000,
    });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.ttlSeconds };
  }

  issue(options: {
    clientId: string;
    userId: string;
    scopes: readonly string[];
    expiresInSeconds?: number;
    /** Tokens of a confidential client: refreshing them needs the client's secret. */
    confidential?: boolean;
  }): IssuedTokens {
    const accessToken = token('BQ');
    const refreshToken = token('AQ');
    const grantId = token('G');
    const expiresIn = options.expiresInSeconds ?? this.ttlSeconds;
    const now = this.now();
    this.access.set(accessToken, {
      kind: 'user',
      clientId: options.clientId,
      userId: options.userId,
      scopes: options.scopes,
      expiresAtMs: now + expiresIn * 1000,
      grantId,
    });
    this.refresh.set(refreshToken, {
      clientId: options.clientId,
      userId: options.userId,
      scopes: options.scopes,
      authorizedAtMs: now,
      expiresAtMs: sixMonthsAfter(now),
      grantId,
      confidential: options.confidential ?? false,
    });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: expiresIn,
      token_type: 'Bearer',
      scope: options.scopes.join(' '),
    };
  }

  /** The record of a bearer token, or why it is refused. */
  lookup(accessToken: string): AccessTokenRecord | 'invalid' | 'expired' {
    const record = this.access.get(accessToken);
    if (record === undefined) return 'invalid';
    if (this.now() >= record.expiresAtMs) return 'expired';
    return record;
  }

  expireAccessTokens(): void {
    const past = this.now() - 1;
    for (const record of this.access.values())
      record.expiresAtMs = Math.min(record.expiresAtMs, past);
  }

  expireRefreshTokens(): void {
    const past = this.now() - 1;
    for (const record of this.refresh.values())
      record.expiresAtMs = Math.min(record.expiresAtMs, past);
  }
}
