import { ReleasesError } from '../errors/releases-error.js';
import { checkSecret, openToken, signToken } from '../internal/signed-token.js';

const PURPOSE = 'releases-unsubscribe';

/**
 * A signed, URL-safe token that unsubscribes one subscriber: `base64url(payload).base64url(hmac)`
 * with HMAC-SHA256 over the payload and a purpose string. It holds the user id and the time it
 * was issued, no secret.
 *
 * @example
 * ```ts
 * const token = createUnsubscribeToken({ userId: 'u1', secret: process.env.UNSUBSCRIBE_SECRET ?? '', issuedAt: Date.now() });
 * const url = `https://example.com/unsubscribe?token=${token}`;
 * ```
 */
export function createUnsubscribeToken(input: {
  readonly userId: string;
  readonly secret: string;
  readonly issuedAt: number;
}): string {
  checkSecret(input.secret, 'unsubscribe');
  return signToken(PURPOSE, { u: input.userId, t: input.issuedAt }, input.secret);
}

/**
 * Checks a token made by {@link createUnsubscribeToken} and returns whom it unsubscribes.
 *
 * @throws ReleasesError `INVALID_TOKEN` when it is malformed or its signature does not match.
 * @example
 * ```ts
 * const { userId } = verifyUnsubscribeToken(token, secret);
 * ```
 */
export function verifyUnsubscribeToken(
  token: string,
  secret: string,
): { readonly userId: string; readonly issuedAt: number } {
  checkSecret(secret, 'unsubscribe');
  const data = openToken(PURPOSE, token, secret) as { u?: unknown; t?: unknown } | null;
  if (data === null || typeof data.u !== 'string' || typeof data.t !== 'number') {
    throw new ReleasesError({
      code: 'INVALID_TOKEN',
      message: 'The unsubscribe link is not valid',
    });
  }
  return { userId: data.u, issuedAt: data.t };
}
