import type { SpotifyTokens, TokenStore } from '@spoti/client';
import type { Kysely } from 'kysely';
import type { TokenCipher } from '../auth/token-cipher.js';
import type { ServerDatabase } from './schema.js';

/**
 * A user's Spotify tokens in `spoti_server_tokens`, encrypted at rest. A client built with it
 * reads the tokens when it needs them and writes refreshed ones back (re-sealed with the
 * current key, which is how rows move to a new key).
 */
export class DbTokenStore implements TokenStore {
  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly cipher: TokenCipher,
    private readonly userId: string,
    private readonly now: () => number,
  ) {}

  async get(): Promise<SpotifyTokens | undefined> {
    const row = await this.db
      .selectFrom('spoti_server_tokens')
      .select(['key_id', 'ciphertext'])
      .where('user_id', '=', this.userId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return JSON.parse(
      this.cipher.open(this.userId, { keyId: row.key_id, ciphertext: row.ciphertext }),
    ) as SpotifyTokens;
  }

  async set(tokens: SpotifyTokens): Promise<void> {
    const sealed = this.cipher.seal(this.userId, JSON.stringify(tokens));
    await this.db
      .insertInto('spoti_server_tokens')
      .values({
        user_id: this.userId,
        key_id: sealed.keyId,
        ciphertext: sealed.ciphertext,
        updated_at: this.now(),
      })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          key_id: sealed.keyId,
          ciphertext: sealed.ciphertext,
          updated_at: this.now(),
        }),
      )
      .execute();
  }

  async clear(): Promise<void> {
    await this.db.deleteFrom('spoti_server_tokens').where('user_id', '=', this.userId).execute();
  }
}
