import { ReleasesError } from '../errors/releases-error.js';
import { checkSecret, openToken, signToken } from '../internal/signed-token.js';

const PURPOSE = 'releases-confirm';

/**
 * Input of {@link createConfirmationToken}.
 *
 * @example
 * ```ts
 * const input: ConfirmationTokenInput = { userId: 'u1', email: 'ada@example.com', secret, issuedAt: Date.now(), ttlMs: 172_800_000 };
 * ```
 */
export interface ConfirmationTokenInput {
  readonly userId: string;
  /** The address being confirmed: a token for an older address does not confirm a new one. */
  readonly email: string;
  /** HMAC secret, at least 16 characters. */
  readonly secret: string;
  /** Unix ms. */
  readonly issuedAt: number;
  /** How long the token is valid, ms. */
  readonly ttlMs: number;
}

/**
 * What a genuine confirmation token holds.
 *
 * @example
 * ```ts
 * const { userId, email, expiresAt }: ConfirmationClaims = verifyConfirmationToken(token, secret, Date.now());
 * ```
 */
export interface ConfirmationClaims {
  readonly userId: string;
  readonly email: string;
  readonly expiresAt: number;
}

/**
 * A signed, expiring, URL-safe token that confirms one subscriber's address (double opt-in):
 * HMAC-SHA256 over the user id, the address and the expiry time, under a purpose of its own (an
 * unsubscribe token is never a confirmation token, nor the reverse). It holds no secret.
 *
 * @example
 * ```ts
 * const token = createConfirmationToken({ userId: 'u1', email: 'ada@example.com', secret, issuedAt: Date.now(), ttlMs: 2 * 86_400_000 });
 * const url = `https://example.com/releases/confirm?token=${token}`;
 * ```
 */
export function createConfirmationToken(input: ConfirmationTokenInput): string {
  checkSecret(input.secret, 'confirmation');
  if (!Number.isFinite(input.issuedAt) || !Number.isFinite(input.ttlMs) || input.ttlMs <= 0) {
    throw new ReleasesError({
      code: 'INVALID_OPTIONS',
      message: 'Invalid confirmation token: issuedAt and a positive ttlMs are required',
    });
  }
  return signToken(
    PURPOSE,
    { u: input.userId, e: input.email, x: input.issuedAt + input.ttlMs },
    input.secret,
  );
}

/**
 * Checks a token made by {@link createConfirmationToken} at `now`.
 *
 * @throws ReleasesError `INVALID_TOKEN` when it is malformed or forged; `TOKEN_EXPIRED` when it
 * is genuine but expired.
 * @example
 * ```ts
 * const { userId, email } = verifyConfirmationToken(token, secret, Date.now());
 * ```
 */
export function verifyConfirmationToken(
  token: string,
  secret: string,
  now: number,
): ConfirmationClaims {
  const claims = openConfirmationToken(token, secret);
  if (now >= claims.expiresAt) {
    throw new ReleasesError({
      code: 'TOKEN_EXPIRED',
      message: 'The confirmation link has expired: subscribe again to get a new one',
    });
  }
  return claims;
}

/** The claims of a genuine token, expired or not; `INVALID_TOKEN` otherwise. */
export function openConfirmationToken(token: string, secret: string): ConfirmationClaims {
  checkSecret(secret, 'confirmation');
  const data = openToken(PURPOSE, token, secret) as {
    u?: unknown;
    e?: unknown;
    x?: unknown;
  } | null;
  if (
    data === null ||
    typeof data.u !== 'string' ||
    typeof data.e !== 'string' ||
    typeof data.x !== 'number'
  ) {
    throw new ReleasesError({
      code: 'INVALID_TOKEN',
      message: 'The confirmation link is not valid',
    });
  }
  return { userId: data.u, email: data.e, expiresAt: data.x };
}
