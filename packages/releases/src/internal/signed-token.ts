import { createHmac, timingSafeEqual } from 'node:crypto';
import { ReleasesError } from '../errors/releases-error.js';

function sign(purpose: string, payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}.${payload}`).digest();
}

/** Throws `INVALID_OPTIONS` unless the secret is a string of at least 16 characters. */
export function checkSecret(secret: string, what: string): void {
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new ReleasesError({
      code: 'INVALID_OPTIONS',
      message: `Invalid ${what} secret: at least 16 characters are required`,
    });
  }
}

/** `base64url(json).base64url(hmac(purpose.payload))`. */
export function signToken(purpose: string, data: unknown, secret: string): string {
  const payload = Buffer.from(JSON.stringify(data)).toString('base64url');
  return `${payload}.${sign(purpose, payload, secret).toString('base64url')}`;
}

/** The JSON a token made by {@link signToken} for `purpose` holds; null when not genuine. */
export function openToken(purpose: string, token: unknown, secret: string): unknown {
  if (typeof token !== 'string' || token.length > 4096) return null;
  const [payload, signature, extra] = token.split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) return null;
  const expected = sign(purpose, payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}
