import type { SpotifyTokens, TokenStore } from '@spoti/client';
import { type Sync, type SyncUser, createSync } from '@spoti/sync';
import type { Logger } from 'pino';
import type { SpotifyAccess } from '../auth/spotify.js';
import type { TokenCipher } from '../auth/token-cipher.js';
import type { ReleasesRuntime } from '../services/releases-service.js';
import type { Database } from '../storage/database.js';
import type { ObjectStore } from '../storage/object-store.js';
import { DbTokenStore } from '../storage/tokens.js';
import type { UserRepository } from '../storage/users.js';
import type { ImportProgressHub } from './import-progress.js';
import type { BillingConfig } from '../api/billing/billing-config.js';

/** Everything a job needs; the worker builds the same object in its own process. */
export interface JobDeps {
  readonly database: Database;
  readonly spotify: SpotifyAccess;
  readonly users: UserRepository;
  readonly cipher: TokenCipher;
  readonly clock: { now(): number };
  readonly logger: Logger;
  /** The exact redirect URI registered with Spotify. */
  readonly redirectUri: () => string;
  /**
   * Called after plays were added for the user (drops cached statistics); resolves once the
   * user's cache generation has moved, for a caller that reads statistics right after.
   */
  readonly onPlaysChanged: (userId: string) => Promise<void> | void;
  /**
   * Called once an import's plays are all stored (after `onPlaysChanged`), before it is reported
   * done: the user is about to look at the result, so the statistics it links to are prepared
   * here (awaited).
   */
  readonly onImportDone: (userId: string) => Promise<void> | void;
  readonly importProgress: ImportProgressHub;
  /** Aborted when the process shuts down: long jobs stop at their next checkpoint. */
  readonly signal: AbortSignal;
  /** Release mails (watcher, mailer, link key); the release jobs refuse to run without it. */
  readonly releases?: ReleasesRuntime | undefined;
  /** Object storage and ffmpeg, for the media renditions job. */
  readonly media?: { readonly objects: ObjectStore; readonly ffmpegPath: string };
  /** Stripe, for the Student-lapse job (`null` or absent: billing is off). */
  readonly billing?: BillingConfig | null | undefined;
  /** Object storage, for the clean-up of images whose user is gone. */
  readonly objects?: ObjectStore | undefined;
  /**
   * Enriches tracks with audio features and genres from services beyond Spotify; present only
   * when enrichment is configured (the `enrich-tracks` job does nothing without it).
   */
  readonly enrichTracks?:
    | ((trackIds: readonly string[], signal: AbortSignal) => Promise<number>)
    | undefined;
  /** Called after a sync: the render queue refreshes the user's profile and face. */
  readonly onFaceRefresh?: ((userId: string) => Promise<void> | void) | undefined;
}

const syncs = new WeakMap<JobDeps, Sync>();

/**
 * The sync engine on the shared database: one per process (per `deps`), so that its cache of the
 * entities the catalog already holds lasts across jobs instead of being rebuilt with a query per
 * track, album and artist in every poll.
 */
export function syncFor(deps: JobDeps): Sync {
  let sync = syncs.get(deps);
  if (sync === undefined) {
    sync = createSync({
      store: deps.database.catalog,
      state: deps.database.syncState,
      clock: deps.clock,
    });
    syncs.set(deps, sync);
  }
  return sync;
}

/** A Spotify client with the user's stored (encrypted) tokens. Close it when done. */
export function spotifyUser(deps: JobDeps, userId: string): SyncUser & { tokens: TokenStore } {
  const stored = new DbTokenStore(deps.database.db, deps.cipher, userId, () => deps.clock.now());
  const tokens = new JobTokenStore(stored, deps.clock);
  return { id: userId, client: deps.spotify.clientFor(tokens, deps.redirectUri()), tokens };
}

/** How long one job reuses the tokens it read: a call reads them twice, a job's calls in a row. */
const TOKEN_REUSE_MS = 1_000;
/** Tokens this close to their expiry are read again every time: a refresh may be due or done. */
const TOKEN_FRESH_MARGIN_MS = 5 * 60_000;

/**
 * One job's view of the stored tokens: a read within {@link TOKEN_REUSE_MS} of the last one
 * answers the same tokens without a query, as long as they are far from expiry (so a refresh,
 * which the client starts only near expiry, always reads what another process may have stored).
 * Writes go through at once.
 */
class JobTokenStore implements TokenStore {
  #last: { readonly tokens: SpotifyTokens; readonly at: number } | null = null;

  constructor(
    private readonly stored: DbTokenStore,
    private readonly clock: { now(): number },
  ) {}

  async get(): Promise<SpotifyTokens | undefined> {
    const last = this.#last;
    if (
      last !== null &&
      performance.now() - last.at < TOKEN_REUSE_MS &&
      last.tokens.expiresAt - TOKEN_FRESH_MARGIN_MS > this.clock.now()
    ) {
      return last.tokens;
    }
    const tokens = await this.stored.get();
    this.#last = tokens === undefined ? null : { tokens, at: performance.now() };
    return tokens;
  }

  async set(tokens: SpotifyTokens): Promise<void> {
    this.#last = null;
    await this.stored.set(tokens);
  }

  async clear(): Promise<void> {
    this.#last = null;
    await this.stored.clear();
  }
}
