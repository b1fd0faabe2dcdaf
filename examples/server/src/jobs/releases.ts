import { randomUUID } from 'node:crypto';
import type { SpotifyClient } from '@spoti/client';
import type { DigestRunResult } from '@spoti/releases';
import type { SyncRun } from '@spoti/sync';
import type { Kysely } from 'kysely';
import { ServerError } from '../server-error.js';
import { type ReleasesRuntime, sweepWatcher } from '../services/releases-service.js';
import { ReleaseRunLog, withReleaseSweepLock } from '../storage/release-runs.js';
import { type JobDeps, spotifyUser } from './deps.js';

/** Input of {@link releaseSweepJob}. */
export interface ReleaseSweepInput {
  /** The run's id in `spoti_server_release_runs` (made when absent). */
  readonly runId?: string;
  /** Only refresh the artists of, and send digests to, these subscribers (default: everyone). */
  readonly userIds?: readonly string[];
  /** What started it: `schedule`, `api`, `confirm`, ... (logged). */
  readonly trigger?: string;
  /** Queue behind a running sweep instead of skipping (used right after a confirmation). */
  readonly wait?: boolean;
}

/** What the digest part of a run did, in counts. */
export interface DigestSummary {
  readonly sent: number;
  readonly empty: number;
  readonly failed: number;
  readonly rejected: number;
  readonly skipped: number;
}

/** Result of {@link releaseSweepJob}. */
export interface ReleaseSweepResult {
  /** `already-running`: another sweep held the lock; nothing was done. */
  readonly status: 'done' | 'already-running';
  readonly runId: string;
  readonly subscribers: number;
  /** Subscribers whose artists could not be read from Spotify (previous list kept). */
  readonly refreshFailures: number;
  readonly artistsScanned: number;
  readonly releasesFound: number;
  readonly scanFailures: number;
  readonly stoppedBy: string | null;
  readonly digests: DigestSummary;
}

function runtimeOf(deps: JobDeps): ReleasesRuntime {
  if (deps.releases === undefined) {
    throw new ServerError(
      'INVALID_CONFIG',
      'Release jobs need the release service (JobDeps.releases) in this process',
    );
  }
  return deps.releases;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The daily release run: reads each subscriber's followed artists with their own Spotify access
 * (the library mirror's follows when they have none), sweeps the watched artists once each, then
 * sends the digests that are due. One sweep at a time per database: a second one answers
 * `already-running` at once (or queues with `wait`).
 */
export async function releaseSweepJob(
  deps: JobDeps,
  input: ReleaseSweepInput,
): Promise<ReleaseSweepResult> {
  const runtime = runtimeOf(deps);
  const runs = new ReleaseRunLog(deps.database.db as unknown as Kysely<unknown>);
  const runId = input.runId ?? randomUUID();
  await runs.queue(input.trigger ?? 'schedule', deps.clock.now(), runId);
  const outcome = await withReleaseSweepLock(deps.database, input.wait === true, async () => {
    await runs.mark(runId, 'running', deps.clock.now());
    try {
      const result = await sweepAndSend(deps, runtime, runId, input.userIds);
      await runs.mark(runId, 'done', deps.clock.now(), result);
      return result;
    } catch (error) {
      await runs.mark(runId, 'failed', deps.clock.now(), { error: messageOf(error) });
      throw error;
    }
  });
  if (outcome.acquired) return outcome.value;
  await runs.mark(runId, 'skipped', deps.clock.now(), { reason: 'another sweep was running' });
  deps.logger.info({ runId }, 'release sweep skipped: another one is running');
  return {
    status: 'already-running',
    runId,
    subscribers: 0,
    refreshFailures: 0,
    artistsScanned: 0,
    releasesFound: 0,
    scanFailures: 0,
    stoppedBy: null,
    digests: { sent: 0, empty: 0, failed: 0, rejected: 0, skipped: 0 },
  };
}

async function sweepAndSend(
  deps: JobDeps,
  runtime: ReleasesRuntime,
  runId: string,
  userIds: readonly string[] | undefined,
): Promise<ReleaseSweepResult> {
  const watcher = runtime.watcher;
  const only = userIds === undefined ? null : new Set(userIds);
  const subscribers = (await watcher.store.listSubscribers()).filter(
    (s) => s.unsubscribedAt === null && (only === null || only.has(s.id)),
  );
  const clients: SpotifyClient[] = [];
  let sweepClient: SpotifyClient | null = null;
  let refreshFailures = 0;
  try {
    for (const subscriber of subscribers) {
      if (deps.signal.aborted) break;
      const user = await deps.users.get(subscriber.id);
      if (user === null) continue;
      const spotify = spotifyUser(deps, subscriber.id);
      clients.push(spotify.client);
      const hasTokens = !user.reconnectRequired && (await spotify.tokens.get()) !== undefined;
      try {
        if (!hasTokens) throw new Error('no Spotify access (reconnect required)');
        await watcher.refreshSubscriberArtists(subscriber.id, spotify.client, {
          signal: deps.signal,
        });
        sweepClient ??= spotify.client;
      } catch (error) {
        refreshFailures += 1;
        // The library mirror's follows are the next best list (kept fresh by the account sync).
        const follows = await deps.database.catalog.listFollows(subscriber.id);
        if (follows.length > 0)
          await watcher.setSubscriberArtists(
            subscriber.id,
            follows.map((f) => f.artistId),
          );
        deps.logger.warn(
          { runId, userId: subscriber.id, err: messageOf(error) },
          'could not read followed artists; using the mirrored follows',
        );
      }
    }
    // The albums endpoint works with any user's token; with nobody's, sweep on a later run.
    if (sweepClient === null && subscribers.length > 0) {
      for (const id of (await watcher.store.listSubscribers()).map((s) => s.id)) {
        const spotify = spotifyUser(deps, id);
        clients.push(spotify.client);
        if ((await spotify.tokens.get()) !== undefined) {
          sweepClient = spotify.client;
          break;
        }
      }
    }
    const report =
      sweepClient === null
        ? null
        : await sweepWatcher(runtime, sweepClient, deps.clock).sweep({ signal: deps.signal });
    if (report !== null && report.failures.length > 0) {
      deps.logger.warn(
        { runId, failures: report.failures.length, stoppedBy: report.stoppedBy },
        'release sweep: some artists failed and stay due',
      );
    }
    const digests = await sendDigests(deps, runtime, userIds);
    return {
      status: 'done',
      runId,
      subscribers: subscribers.length,
      refreshFailures,
      artistsScanned: report?.artistsScanned ?? 0,
      releasesFound: report?.releasesFound ?? 0,
      scanFailures: report?.failures.length ?? 0,
      stoppedBy: report?.stoppedBy ?? null,
      digests,
    };
  } finally {
    for (const client of clients) await client.close();
  }
}

/** Input of {@link releaseDigestsJob}. */
export interface ReleaseDigestsInput {
  /** Only these subscribers (default: everyone due). */
  readonly userIds?: readonly string[];
}

/**
 * Sends the digests that are due now (first digests right after confirmation, then every 14 or
 * 7 days), without sweeping. Each outcome is written to the user's sync log (kind `releases`):
 * sent, failed (retried unchanged by the next run) or refused for good, with the mailer's retries.
 */
export async function releaseDigestsJob(
  deps: JobDeps,
  input: ReleaseDigestsInput,
): Promise<DigestSummary> {
  return sendDigests(deps, runtimeOf(deps), input.userIds);
}

async function sendDigests(
  deps: JobDeps,
  runtime: ReleasesRuntime,
  userIds: readonly string[] | undefined,
): Promise<DigestSummary> {
  const startedAt = deps.clock.now();
  const run: DigestRunResult = await runtime.watcher.runDigests({
    mailer: runtime.mailer,
    from: runtime.from,
    unsubscribe: { secret: runtime.secret, baseUrl: runtime.unsubscribeUrl() },
    ...(userIds === undefined ? {} : { userIds: [...userIds] }),
  });
  const finishedAt = deps.clock.now();
  const log = async (
    entry: { userId: string; digestId: string },
    status: SyncRun['status'],
    outcome: 'sent' | 'will-retry' | 'refused',
    added: number,
    error: string | null,
  ) => {
    const tally = runtime.takeTally(entry.digestId);
    const errors = [...tally.reasons, ...(error === null ? [] : [error])].slice(-5);
    await deps.database.syncState.appendRun({
      id: randomUUID(),
      userId: entry.userId,
      kind: 'releases',
      status,
      startedAt,
      finishedAt,
      added,
      removed: 0,
      calls: 0,
      retries: tally.retries,
      rateLimitWaits: 0,
      errors,
      resumeAt: null,
      details: { digestId: entry.digestId, outcome },
    });
  };
  for (const s of run.sent) await log(s, 'ok', 'sent', s.releases, null);
  for (const f of run.failed) await log(f, 'failed', 'will-retry', 0, f.error);
  for (const r of run.rejected) await log(r, 'failed', 'refused', 0, r.error);
  if (run.failed.length + run.rejected.length > 0) {
    deps.logger.warn(
      { failed: run.failed.length, rejected: run.rejected.length },
      'some release digests were not sent',
    );
  }
  return {
    sent: run.sent.length,
    empty: run.empty.length,
    failed: run.failed.length,
    rejected: run.rejected.length,
    skipped: run.skipped.length,
  };
}
