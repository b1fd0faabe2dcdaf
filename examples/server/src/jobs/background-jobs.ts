import { sql } from 'kysely';
import { JobDeferred } from '../runner/job-deferred.js';
import type { JobModule, JobRegistry } from '../runner/job-registry.js';
import { type NotRun, withSpotifyUser } from './account-sync.js';
import { type JobDeps, syncFor } from './deps.js';

/** Input of the per-user scheduled jobs. */
export interface UserJobInput {
  readonly userId: string;
  /** The scheduled slot (Unix ms), when the scheduler enqueued it. */
  readonly slot?: number;
  readonly runKey?: string;
}

/** What a scheduled sync job did. */
export type SyncJobResult = NotRun | { readonly status: 'ok' | 'partial'; readonly added: number };

/** Object-key prefixes whose second segment is a user id (`faces/<userId>/...`). */
export const USER_OBJECT_PREFIXES = ['faces/', 'images/', 'media/'] as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function userIdOf(input: { readonly userId?: unknown }): string {
  const userId = input.userId;
  if (typeof userId !== 'string' || userId === '') throw new Error('job input needs a userId');
  return userId;
}

/** A sync run that hit Spotify's rate limit or quota ends the job as deferred. */
function deferIfLimited(run: { status: string; resumeAt: number | null }, what: string): void {
  if ((run.status === 'rate_limited' || run.status === 'deferred') && run.resumeAt !== null) {
    throw new JobDeferred(run.resumeAt, `${what}: Spotify rate limit`);
  }
}

/** `poll-plays`: stores the user's recent plays (every 10 minutes). */
export async function pollPlaysJob(deps: JobDeps, input: UserJobInput): Promise<SyncJobResult> {
  const userId = userIdOf(input);
  return withSpotifyUser(deps, userId, async (user) => {
    const poll = await syncFor(deps).syncRecentPlays(user, { signal: deps.signal });
    deferIfLimited(poll.run, 'recent plays');
    if (poll.inserted > 0) deps.onPlaysChanged(userId);
    await deps.users.markSynced(userId, deps.clock.now());
    return { status: 'ok', added: poll.inserted };
  });
}

/** `library-sync`: mirrors the library (daily; the sync itself runs the weekly full reconcile). */
export async function librarySyncJob(deps: JobDeps, input: UserJobInput): Promise<SyncJobResult> {
  const userId = userIdOf(input);
  return withSpotifyUser(deps, userId, async (user) => {
    const library = await syncFor(deps).syncLibrary(user, { signal: deps.signal });
    deferIfLimited(library.run, 'library');
    const added = library.added.track + library.added.album + library.added.artist;
    return { status: library.run.status === 'partial' ? 'partial' : 'ok', added };
  });
}

/** `availability`: notices saved tracks that became unavailable (daily). */
export async function availabilityJob(deps: JobDeps, input: UserJobInput): Promise<SyncJobResult> {
  const userId = userIdOf(input);
  return withSpotifyUser(deps, userId, async (user) => {
    const result = await syncFor(deps).checkAvailability(user, { signal: deps.signal });
    deferIfLimited(result.run, 'availability');
    return { status: 'ok', added: result.changed.length };
  });
}

/**
 * `face-refresh`: after a sync, the user's profile and face are drawn again. The render queue
 * (`deps.onFaceRefresh`) does it when the server has one; otherwise the cached statistics the
 * profile is built from are dropped, so the next view recomputes them.
 */
export async function faceRefreshJob(
  deps: JobDeps,
  input: UserJobInput,
): Promise<{ refreshed: true }> {
  const userId = userIdOf(input);
  if (deps.onFaceRefresh !== undefined) await deps.onFaceRefresh(userId);
  else deps.onPlaysChanged(userId);
  return { refreshed: true };
}

/** What {@link cleanupJob} removed. */
export interface CleanupResult {
  readonly sessions: number;
  readonly ledger: number;
  readonly deadLetters: number;
  readonly objects: number;
}

/**
 * `cleanup`: expired sessions, completed-run records older than a week, dead letters older than
 * 30 days, and objects under a user's prefix whose user no longer exists (left behind when a
 * deletion was interrupted).
 */
export async function cleanupJob(deps: JobDeps): Promise<CleanupResult> {
  const now = deps.clock.now();
  const db = deps.database.db;
  const sessions = await sql`delete from spoti_server_sessions where expires_at <= ${now}`.execute(
    db,
  );
  const ledger =
    await sql`delete from spoti_server_job_runs where completed_at < ${now - 7 * DAY}`.execute(db);
  const dead =
    await sql`delete from spoti_server_dead_jobs where dead_at < ${now - 30 * DAY}`.execute(db);
  let objects = 0;
  if (deps.objects !== undefined) {
    const users = new Set(await deps.users.listIds());
    for (const prefix of USER_OBJECT_PREFIXES) {
      const orphans: string[] = [];
      for await (const object of deps.objects.list(prefix)) {
        const owner = object.key.slice(prefix.length).split('/')[0] ?? '';
        // An hour's grace: an upload may be written just before its user row.
        if (!users.has(owner) && now - object.updatedAt > HOUR) orphans.push(object.key);
      }
      for (const key of orphans) await deps.objects.delete(key);
      objects += orphans.length;
    }
  }
  return {
    sessions: Number(sessions.numAffectedRows ?? 0n),
    ledger: Number(ledger.numAffectedRows ?? 0n),
    deadLetters: Number(dead.numAffectedRows ?? 0n),
    objects,
  };
}

/**
 * `enrich-tracks`: asks the configured enrichment providers about the tracks played in the last
 * two hours (the enricher's persistent cache makes each track one question, ever), under each
 * provider's own rate limit. Does nothing when enrichment is not configured.
 */
export async function enrichTracksJob(
  deps: JobDeps,
): Promise<{ tracks: number; enriched: number }> {
  if (deps.enrichTracks === undefined) return { tracks: 0, enriched: 0 };
  const since = deps.clock.now() - 2 * HOUR;
  const { rows } = await sql<{ track_id: string }>`
    select distinct track_id from catalog_plays
    where ended_at >= ${since} and track_id is not null
    order by track_id limit 5000`.execute(deps.database.db);
  const ids = rows.map((r) => r.track_id);
  if (ids.length === 0) return { tracks: 0, enriched: 0 };
  return { tracks: ids.length, enriched: await deps.enrichTracks(ids, deps.signal) };
}

/**
 * The server's scheduled jobs as a {@link JobModule}. The release and playlist modules register
 * theirs the same way, so the scheduler starts running a job as soon as its module is listed.
 */
export const backgroundJobs: JobModule = {
  name: 'background',
  register: (registry: JobRegistry) => {
    registry
      .register({
        name: 'poll-plays',
        run: pollPlaysJob,
        spotify: true,
        attempts: 3,
        backoffMs: 60_000,
      })
      .register({
        name: 'library-sync',
        run: librarySyncJob,
        spotify: true,
        followUps: (result, input) =>
          'added' in result
            ? [
                { name: 'face-refresh', input: { userId: input.userId } },
                {
                  name: 'playlists-refresh',
                  input: { userId: input.userId, after: 'library-sync' },
                },
              ]
            : [],
      })
      .register({ name: 'availability', run: availabilityJob, spotify: true })
      .register({ name: 'face-refresh', run: faceRefreshJob, attempts: 3 })
      .register({ name: 'cleanup', run: cleanupJob, attempts: 3 })
      .register({ name: 'enrich-tracks', run: enrichTracksJob, attempts: 3, backoffMs: 300_000 });
  },
};
