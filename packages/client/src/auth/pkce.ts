import { createHash, randomBytes } from 'node:crypto';

/** A PKCE verifier and its S256 challenge. Keep the verifier for the code exchange. */
export interface PkcePair {
  /** The secret verifier (43-128 characters). */
  verifier: string;
  /** `base64url(sha256(verifier))`. */
  challenge: string;
  /** Always `S256`. */
  method: 'S256';
}

/**
 * Creates a PKCE pair. Pass `randomBytes` to make it deterministic in tests.
 *
 * @example
 * ```ts
 * const pkce = createPkcePair();
 * ```
 */
export function createPkcePair(
  options: { randomBytes?: (size: number) => Uint8Array } = {},
): PkcePair {
  const bytes = (options.randomBytes ?? randomBytes)(48);
  const verifier = Buffer.from(bytes).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' };
}

/** Creates an unguessable `state` value to bind the callback to the login attempt. */
export function createState(options: { randomBytes?: (size: number) => Uint8Array } = {}): string {
  return Buffer.from((options.randomBytes ?? randomBytes)(16)).toString('base64url');
}
