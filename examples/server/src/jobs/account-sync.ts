import { isSpotifyError } from '@spoti/client';
import { isSyncError } from '@spoti/sync';
import type { SyncUser } from '@spoti/sync';
import { type JobDeps, spotifyUser, syncFor } from './deps.js';

/** What one account sync did. */
export interface AccountSyncResult {
  readonly status: 'ok' | 'reconnect-required' | 'skipped' | 'failed';
  readonly playsAdded: number;
  readonly libraryAdded: number;
  readonly error?: string;
}

/** True when Spotify refused the user's refresh token (`invalid_grant`): they must sign in again. */
export function needsReconnect(error: unknown): boolean {
  const cause = isSyncError(error) ? error.cause : error;
  return (
    (isSpotifyError(error) && error.code === 'REAUTHORIZATION_REQUIRED') ||
    (isSpotifyError(cause) && cause.code === 'REAUTHORIZATION_REQUIRED')
  );
}

/**
 * Polls the user's recent plays and mirrors their library (at sign-in, on "sync now", and on the
 * worker's schedule). A refresh token Spotify no longer accepts (`invalid_grant`) marks the user
 * "reconnect Spotify" and stops their background work until they sign in again.
 */
export async function syncAccount(
  deps: JobDeps,
  input: { readonly userId: string; readonly plays?: boolean; readonly library?: boolean },
): Promise<AccountSyncResult> {
  const user = await deps.users.get(input.userId);
  if (user === null || user.reconnectRequired) {
    return { status: 'skipped', playsAdded: 0, libraryAdded: 0 };
  }
  const spotify = spotifyUser(deps, input.userId);
  if ((await spotify.tokens.get()) === undefined) {
    // Signed out, or Spotify refused the refresh token earlier (the client then forgets it).
    await spotify.client.close();
    await deps.users.setReconnectRequired(input.userId, true, deps.clock.now());
    return { status: 'reconnect-required', playsAdded: 0, libraryAdded: 0 };
  }
  const sync = syncFor(deps);
  let playsAdded = 0;
  let libraryAdded = 0;
  try {
    if (input.plays !== false) {
      const poll = await sync.syncRecentPlays(spotify);
      playsAdded = poll.inserted;
      if (playsAdded > 0) deps.onPlaysChanged(input.userId);
    }
    if (input.library !== false) {
      const library = await sync.syncLibrary(spotify);
      libraryAdded = library.added.track + library.added.album + library.added.artist;
    }
    await deps.users.markSynced(input.userId, deps.clock.now());
    return { status: 'ok', playsAdded, libraryAdded };
  } catch (error) {
    if (needsReconnect(error)) {
      await deps.users.setReconnectRequired(input.userId, true, deps.clock.now());
      deps.logger.info(
        { userId: input.userId },
        'spotify refused the refresh token: reconnect required',
      );
      return { status: 'reconnect-required', playsAdded, libraryAdded };
    }
    deps.logger.warn({ userId: input.userId, err: error }, 'account sync failed');
    return {
      status: 'failed',
      playsAdded,
      libraryAdded,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await spotify.client.close();
  }
}

/** What {@link withSpotifyUser} answers when it did not run the work. */
export type NotRun = { readonly status: 'skipped' | 'reconnect-required' };

/**
 * Runs `work` with a Spotify client for the user, for the scheduled jobs. A user who is gone or
 * must reconnect is skipped; a refresh token Spotify refuses (`invalid_grant`) marks the user
 * "reconnect" and stops their jobs; any other error is thrown, for the queue to retry.
 */
export async function withSpotifyUser<T>(
  deps: JobDeps,
  userId: string,
  work: (user: SyncUser) => Promise<T>,
): Promise<T | NotRun> {
  const user = await deps.users.get(userId);
  if (user === null || user.reconnectRequired) return { status: 'skipped' };
  const spotify = spotifyUser(deps, userId);
  try {
    if ((await spotify.tokens.get()) === undefined) {
      await deps.users.setReconnectRequired(userId, true, deps.clock.now());
      return { status: 'reconnect-required' };
    }
    return await work(spotify);
  } catch (error) {
    if (!needsReconnect(error)) throw error;
    await deps.users.setReconnectRequired(userId, true, deps.clock.now());
    deps.logger.info({ userId }, 'spotify refused the refresh token: reconnect required');
    return { status: 'reconnect-required' };
  } finally {
    await spotify.client.close();
  }
}
