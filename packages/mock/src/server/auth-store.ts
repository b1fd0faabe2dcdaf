import { createHash, randomBytes } from 'node:crypto';
import { OAuthError } from './api-error.js';
import type { IssuedTokens, MockClient } from './types.js';

export interface AccessTokenRecord {
  readonly kind: 'user' | 'app';
  readonly clientId: string;
  readonly userId: string | undefined;
  readonly scopes: readonly string[];
  expiresAtMs: number;
}

interface RefreshTokenRecord {
  readonly clientId: string;
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly authorizedAtMs: number;
  expiresAtMs: number;
}

interface CodeRecord {
  readonly clientId: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly codeChallenge: string | undefined;
  readonly expiresAtMs: number;
  used: boolean;
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
    if (secretRequired && (secret === undefined || secret === '')) {
      throw new OAuthError('invalid_client', 'Invalid client secret');
    }
    if (
      registered?.clientSecret !== undefined &&
      secret !== undefined &&
      secret !== registered.clientSecret
    ) {
      throw new OAuthError('invalid_client', 'Invalid client secret');
    }
    return clientId;
  }

  createCode(record: Omit<CodeRecord, 'expiresAtMs' | 'used'>): string {
    const code = token('AQ');
    this.codes.set(code, { ...record, expiresAtMs: this.now() + CODE_TTL_MS, used: false });
    return code;
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
    const clientId = this.checkClient(
      params.clientId,
      params.clientSecret,
      record.codeChallenge === undefined,
    );
    if (record.used) throw new OAuthError('invalid_grant', 'Invalid authorization code');
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
    return this.issue({ clientId, userId: record.userId, scopes: record.scopes });
  }

  refreshTokens(params: {
    refreshToken: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
  }): IssuedTokens {
    const record =
      params.refreshToken === undefined ? undefined : this.refresh.get(params.refreshToken);
    const clientId = this.checkClient(
      params.clientId ?? record?.clientId,
      params.clientSecret,
      false,
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
  }): IssuedTokens {
    const accessToken = token('BQ');
    const refreshToken = token('AQ');
    const expiresIn = options.expiresInSeconds ?? this.ttlSeconds;
    const now = this.now();
    this.access.set(accessToken, {
      kind: 'user',
      clientId: options.clientId,
      userId: options.userId,
      scopes: options.scopes,
      expiresAtMs: now + expiresIn * 1000,
    });
    this.refresh.set(refreshToken, {
      clientId: options.clientId,
      userId: options.userId,
      scopes: options.scopes,
      authorizedAtMs: now,
      expiresAtMs: sixMonthsAfter(now),
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
