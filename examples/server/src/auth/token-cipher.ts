import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ServerError } from '../server-error.js';

/** A named AES-256 key. */
export interface TokenKey {
  readonly id: string;
  readonly key: Buffer;
}

/** A sealed value and the id of the key that sealed it. */
export interface Sealed {
  readonly keyId: string;
  /** base64url of IV (12 bytes) | tag (16 bytes) | ciphertext. */
  readonly ciphertext: string;
}

/**
 * AES-256-GCM with key ids, so keys can rotate: the first key seals, any listed key opens. The
 * user id is bound as additional data, so a row copied to another user does not decrypt.
 *
 * @example
 * ```ts
 * const cipher = createTokenCipher([{ id: 'k2', key: newKey }, { id: 'k1', key: oldKey }]);
 * const sealed = cipher.seal('u1', JSON.stringify(tokens));
 * ```
 */
export function createTokenCipher(keys: readonly TokenKey[]) {
  const [current] = keys;
  if (current === undefined)
    throw new ServerError('INVALID_CONFIG', 'TOKEN_KEYS needs at least one key');
  for (const k of keys) {
    if (k.key.length !== 32)
      throw new ServerError('INVALID_CONFIG', `TOKEN_KEYS key ${k.id} must be 32 bytes`);
  }
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    /** The id of the key new values are sealed with. */
    currentKeyId: current.id,
    seal(userId: string, plaintext: string): Sealed {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(userId, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        keyId: current.id,
        ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url'),
      };
    },
    open(userId: string, sealed: Sealed): string {
      const key = byId.get(sealed.keyId);
      if (key === undefined) {
        throw new ServerError(
          'TOKEN_DECRYPT_FAILED',
          `No token key with id ${sealed.keyId} is configured`,
        );
      }
      try {
        const raw = Buffer.from(sealed.ciphertext, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(userId, 'utf8'));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString(
          'utf8',
        );
      } catch (cause) {
        throw new ServerError('TOKEN_DECRYPT_FAILED', 'Stored tokens could not be decrypted', {
          cause,
        });
      }
    },
  };
}

/** The cipher {@link createTokenCipher} returns. */
export type TokenCipher = ReturnType<typeof createTokenCipher>;
