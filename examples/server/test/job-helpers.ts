import type { MockServer } from '@spoti/mock';
import { type Kysely, sql } from 'kysely';
import { EMBEDDED_CLIENT_ID } from '../src/auth/spotify.js';
import type { TokenCipher } from '../src/auth/token-cipher.js';
import type { Database } from '../src/storage/database.js';
import type { ServerDatabase } from '../src/storage/schema.js';
import { DbTokenStore } from '../src/storage/tokens.js';
import { createUserRepository } from '../src/storage/users.js';

/** A listener of the mock world signed in to the server without the browser dance. */
export interface SeededUser {
  /** The server's user id (plays are stored under it). */
  readonly id: string;
  /** The mock world's user id (ground truth is kept under it). */
  readonly mockId: string;
}

/**
 * Signs `count` listeners of the mock world in: a user row and encrypted tokens the mock issued,
 * as the OAuth callback would leave them.
 */
export async function seedUsers(
  database: Database,
  cipher: TokenCipher,
  mock: MockServer,
  count: number,
  now: number,
): Promise<SeededUser[]> {
  const users = createUserRepository(database.db);
  const listeners = [...mock.world.users.values()].slice(0, count);
  if (listeners.length < count)
    throw new Error(`the mock world has only ${listeners.length} users`);
  const out: SeededUser[] = [];
  for (const listener of listeners) {
    const user = await users.upsertFromSpotify({
      spotifyId: listener.id,
      displayName: listener.displayName,
      timeZone: listener.timezone,
      now,
    });
    const issued = mock.controls.auth.issueTokens({
      userId: listener.id,
      clientId: EMBEDDED_CLIENT_ID,
      expiresInSeconds: 3600,
    });
    await new DbTokenStore(database.db, cipher, user.id, () => now).set({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: now + issued.expires_in * 1000,
      scope: issued.scope,
    });
    out.push({ id: user.id, mockId: listener.id });
  }
  return out;
}

/** The end times of a user's stored plays after `sinceMs`, ascending. */
export async function storedPlayEnds(
  db: Kysely<ServerDatabase>,
  userId: string,
  sinceMs: number,
): Promise<number[]> {
  const { rows } = await sql<{ ended_at: number | string }>`
    select ended_at from catalog_plays where user_id = ${userId} and ended_at > ${sinceMs}
    order by ended_at`.execute(db);
  return rows.map((r) => Number(r.ended_at));
}

/** The end times of the plays the mock served as recently played (30 s or more) after `sinceMs`. */
export function truthPlayEnds(mock: MockServer, mockUserId: string, sinceMs: number): number[] {
  return mock.controls.truth
    .plays(mockUserId, { sinceMs: sinceMs + 1 })
    .filter((p) => p.msPlayed >= 30_000)
    .map((p) => p.endedAtMs);
}
