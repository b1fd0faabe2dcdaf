/** Tokens as the client keeps them. `expiresAt` is epoch ms on the client's clock. */
export interface SpotifyTokens {
  /** The bearer token. */
  accessToken: string;
  /** Present for user tokens; absent for client credentials. */
  refreshToken?: string | undefined;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  /** Granted scopes, space separated. */
  scope?: string | undefined;
}

/** Where the client reads and writes tokens. Implement it over your database to persist them. */
export interface TokenStore {
  /** The current tokens, if any. */
  get(): SpotifyTokens | undefined | Promise<SpotifyTokens | undefined>;
  /** Saves new tokens (after a code exchange or a refresh). */
  set(tokens: SpotifyTokens): void | Promise<void>;
  /** Forgets the tokens (after `invalid_grant`). */
  clear(): void | Promise<void>;
}

/**
 * A {@link TokenStore} in memory.
 *
 * @example
 * ```ts
 * const tokenStore = createMemoryTokenStore({ accessToken, refreshToken, expiresAt: Date.now() + 3600_000 });
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  #tokens: SpotifyTokens | undefined;

  /** @param tokens - initial tokens. */
  constructor(tokens?: SpotifyTokens) {
    this.#tokens = tokens;
  }

  get(): SpotifyTokens | undefined {
    return this.#tokens;
  }

  set(tokens: SpotifyTokens): void {
    this.#tokens = tokens;
  }

  clear(): void {
    this.#tokens = undefined;
  }
}

/**
 * Creates a {@link TokenStore} that keeps tokens in memory (one process, one user).
 *
 * @example
 * ```ts
 * const tokens = createMemoryTokenStore({ accessToken, refreshToken, expiresAt });
 * ```
 */
export function createMemoryTokenStore(tokens?: SpotifyTokens): MemoryTokenStore {
  return new MemoryTokenStore(tokens);
}
