import { createHmac, timingSafeEqual } from 'node:crypto';
import { ReleasesError } from '../errors/releases-error.js';

const PURPOSE = 'releases-unsubscribe';

function sign(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${PURPOSE}.${payload}`).digest();
}

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new ReleasesError({
      code: 'invalid_options',
      message: 'Invalid unsubscribe secret: at least 16 characters are required',
    });
  }
}

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
  checkSecret(input.secret);
  const payload = Buffer.from(JSON.stringify({ u: input.userId, t: input.issuedAt })).toString(
    'base64url',
  );
  return `${payload}.${sign(payload, input.secret).toString('base64url')}`;
}

/**
 * Checks a token made by {@link createUnsubscribeToken} and returns whom it unsubscribes.
 *
 * @throws ReleasesError `invalid_token` when it is malformed or its signature does not match.
 * @example
 * ```ts
 * const { userId } = verifyUnsubscribeToken(token, secret);
 * ```
 */
export function verifyUnsubscribeToken(
  token: string,
  secret: string,
): { readonly userId: string; readonly issuedAt: number } {
  checkSecret(secret);
  const invalid = () =>
    new ReleasesError({ code: 'invalid_token', message: 'The unsubscribe link is not valid' });
  if (typeof token !== 'string') throw invalid();
  const [payload, signature, extra] = token.split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) throw invalid();
  const expected = sign(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      u?: unknown;
      t?: unknown;
    };
    if (typeof data.u !== 'string' || typeof data.t !== 'number') throw invalid();
    return { userId: data.u, issuedAt: data.t };
  } catch {
    throw invalid();
  }
}
