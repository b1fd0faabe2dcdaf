import { randomUUID } from 'node:crypto';
import { isSpotifyError } from '@spoti/client';
import { type PlaylistMap, isPlaylistsError, syncSmartPlaylist } from '@spoti/playlists';
import { PlaylistsService, type SmartPlaylist } from '../services/playlists-service.js';
import { type JobDeps, spotifyUser } from './deps.js';

/** How long one save may hold a rule's lease before another save may take it over. */
const LEASE_MS = 5 * 60_000;

/** What refreshing one smart playlist did. */
export interface PlaylistRefresh {
  readonly slug: string;
  /** `busy`: another save of the same rule was running; nothing was done. */
  readonly status: 'saved' | 'busy' | 'failed';
  readonly playlistId?: string;
  readonly created?: boolean;
  readonly writeCalls?: number;
  readonly tracks?: number;
  readonly error?: string;
}

/** What {@link refreshPlaylistsJob} did. */
export interface PlaylistsRefreshResult {
  /**
   * `skipped`: no such user, "reconnect Spotify" pending, or nothing to refresh;
   * `failed`: at least one playlist failed (see `refreshed`).
   */
  readonly status: 'ok' | 'skipped' | 'reconnect-required' | 'failed';
  readonly refreshed: readonly PlaylistRefresh[];
}

function causeOf(error: unknown): unknown {
  return isPlaylistsError(error) && error.cause !== undefined ? error.cause : error;
}

function needsReconnect(error: unknown): boolean {
  const cause = causeOf(error);
  return isSpotifyError(cause) && cause.code === 'REAUTHORIZATION_REQUIRED';
}

/** A message for the page: what went wrong, without tokens (errors of the packages carry none). */
function describe(error: unknown): string {
  const cause = causeOf(error);
  if (isSpotifyError(cause) && (cause.missingScopes?.length ?? 0) > 0) {
    return 'Spotify has not granted this app access to your playlists: sign in again to grant it';
  }
  if (isSpotifyError(cause) && cause.code === 'RATE_LIMITED') {
    return 'Spotify asked us to slow down: the playlist will be saved on the next try';
  }
  return error instanceof Error ? error.message : String(error);
}

/** The rule -> Spotify playlist mapping of one user, kept in `spoti_server_playlists`. */
function databaseMap(service: PlaylistsService, userId: string, now: () => number): PlaylistMap {
  return {
    get: async (slug) => (await service.repo.get(userId, slug))?.spotifyPlaylistId ?? null,
    set: (slug, playlistId) => service.repo.setSpotifyPlaylistId(userId, slug, playlistId, now()),
  };
}

const services = new WeakMap<JobDeps, PlaylistsService>();

/**
 * The playlists service of one process (per `deps`), as the server's pages keep one: its reader
 * keeps the catalog entities it read across jobs, so a refresh reads the user's likes and plays
 * but not every track, album and artist of the library again, one query each.
 */
function playlistsFor(deps: JobDeps): PlaylistsService {
  let service = services.get(deps);
  if (service === undefined) {
    service = new PlaylistsService(deps.database, deps.clock);
    services.set(deps, service);
  }
  return service;
}

/**
 * Brings the user's smart playlists on Spotify up to date: the one named by `ruleId` (a "save
 * to Spotify" click, whether or not it refreshes itself), else every rule with auto-refresh on
 * (run daily and after library syncs). Each rule is evaluated over the library in the database
 * and applied as the minimal plan through the user's client.
 *
 * Safe to repeat: the rule's row exists before Spotify is called; the playlist is found again
 * through the stored id or, when an answer was lost before the id was stored, by the marker
 * `@spoti/playlists` writes into its description, so a retry never creates a second playlist;
 * a lease on the row keeps two saves of one rule from running at once; a converged playlist
 * gets no write.
 */
export async function refreshPlaylistsJob(
  deps: JobDeps,
  input: { userId: string; ruleId?: string },
): Promise<PlaylistsRefreshResult> {
  const user = await deps.users.get(input.userId);
  if (user === null || user.reconnectRequired) return { status: 'skipped', refreshed: [] };
  const service = playlistsFor(deps);
  const all = await service.list(user.id);
  const targets = await pickTargets(deps, service, user.id, all, input.ruleId);
  if (!Array.isArray(targets)) return targets;
  if (targets.length === 0) return { status: 'skipped', refreshed: [] };

  const spotify = spotifyUser(deps, user.id);
  try {
    if ((await spotify.tokens.get()) === undefined) {
      await deps.users.setReconnectRequired(user.id, true, deps.clock.now());
      return { status: 'reconnect-required', refreshed: [] };
    }
    const save: SaveContext = {
      deps,
      service,
      userId: user.id,
      client: spotify.client,
      library: await service.loadLibrary(user, deps.clock.now()),
      rules: service.rulesBySlug(all),
      map: databaseMap(service, user.id, () => deps.clock.now()),
    };
    const refreshed: PlaylistRefresh[] = [];
    for (const target of targets) {
      if (deps.signal.aborted) break;
      const outcome = await saveOne(save, target);
      refreshed.push(outcome.refresh);
      if (outcome.reconnect) {
        await deps.users.setReconnectRequired(user.id, true, deps.clock.now());
        return { status: 'reconnect-required', refreshed };
      }
    }
    return {
      status: refreshed.some((r) => r.status === 'failed') ? 'failed' : 'ok',
      refreshed,
    };
  } finally {
    await spotify.client.close();
  }
}

/**
 * The playlists to refresh: the one named by `ruleId` (stored first, so its row exists before
 * Spotify is called), else every stored rule with auto-refresh on. A `ruleId` that names no
 * smart playlist answers the job's failed result instead.
 */
async function pickTargets(
  deps: JobDeps,
  service: PlaylistsService,
  userId: string,
  all: SmartPlaylist[],
  ruleId: string | undefined,
): Promise<SmartPlaylist[] | PlaylistsRefreshResult> {
  if (ruleId === undefined) return all.filter((p) => p.stored?.autoRefresh === true);
  const one = all.find((p) => p.slug === ruleId);
  if (one === undefined) {
    return {
      status: 'failed',
      refreshed: [{ slug: ruleId, status: 'failed', error: 'No such smart playlist' }],
    };
  }
  await service.ensureStored(userId, one, deps.clock.now());
  return [one];
}

/** What saving each playlist of one user's refresh shares. */
interface SaveContext {
  readonly deps: JobDeps;
  readonly service: PlaylistsService;
  readonly userId: string;
  readonly client: Parameters<typeof syncSmartPlaylist>[0]['writer'];
  readonly library: Awaited<ReturnType<PlaylistsService['loadLibrary']>>;
  readonly rules: ReturnType<PlaylistsService['rulesBySlug']>;
  readonly map: PlaylistMap;
}

/**
 * Saves one smart playlist under a lease on its row (another save holding it: `busy`) and
 * records the outcome on the row. `reconnect` is true when Spotify refused the user's token.
 */
async function saveOne(
  ctx: SaveContext,
  target: SmartPlaylist,
): Promise<{ refresh: PlaylistRefresh; reconnect: boolean }> {
  const { deps, service, userId } = ctx;
  const token = randomUUID();
  const now = deps.clock.now();
  const claimed = await service.repo.claim(userId, target.slug, {
    token,
    until: now + LEASE_MS,
    now,
  });
  if (!claimed) return { refresh: { slug: target.slug, status: 'busy' }, reconnect: false };
  try {
    const preview = service.preview(ctx.library, target.rule, ctx.rules);
    const report = await syncSmartPlaylist({
      writer: ctx.client,
      map: ctx.map,
      slug: target.slug,
      name: target.name,
      description: target.description,
      result: { trackIds: preview.trackIds, ordered: preview.ordered },
    });
    await service.repo.finish(
      userId,
      target.slug,
      token,
      { ok: true, trackCount: preview.count, writeCalls: report.writeCalls },
      deps.clock.now(),
    );
    const refresh: PlaylistRefresh = {
      slug: target.slug,
      status: 'saved',
      playlistId: report.playlistId,
      created: report.created,
      writeCalls: report.writeCalls,
      tracks: preview.count,
    };
    return { refresh, reconnect: false };
  } catch (error) {
    const message = describe(error);
    await service.repo.finish(
      userId,
      target.slug,
      token,
      { ok: false, error: message },
      deps.clock.now(),
    );
    const reconnect = needsReconnect(error);
    if (!reconnect) {
      deps.logger.warn({ userId, slug: target.slug, err: error }, 'playlist save failed');
    }
    return { refresh: { slug: target.slug, status: 'failed', error: message }, reconnect };
  }
}
