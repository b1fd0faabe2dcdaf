import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createTokenCipher } from '@spoti/example-server/src/auth/token-cipher.js';
import { type ServerConfig, loadConfig } from '@spoti/example-server/src/config.js';
import type { JobDeps } from '@spoti/example-server/src/jobs/deps.js';
import { openReleasesRuntime } from '@spoti/example-server/src/services/releases-service.js';
import { ImportProgressHub } from '@spoti/example-server/src/jobs/import-progress.js';
import { openTrackEnrichment } from '@spoti/example-server/src/jobs/enrichment.js';
import { createLogger } from '@spoti/example-server/src/logger.js';
import { openDatabase } from '@spoti/example-server/src/storage/database.js';
import { createFaceCacheStore } from '@spoti/example-server/src/storage/faces-cache.js';
import { openObjectStore } from '@spoti/example-server/src/storage/open-object-store.js';
import { createUserRepository } from '@spoti/example-server/src/storage/users.js';
import type { Kysely } from 'kysely';
import type { DestinationStream, Logger } from 'pino';
import { type RedisHealth, watchRedis } from './redis-health.js';
import { type RemoteClock, followRemoteClock } from './remote-clock.js';
import { workerSpotify } from './spotify-access.js';
import { type RunningWorker, startWorker } from './worker.js';
import { type WorkerSettings, loadWorkerSettings } from './worker-config.js';

/** A worker with everything it opened. */
export interface OpenedWorker extends RunningWorker {
  /** On SIGTERM, how long running jobs may take before they are interrupted (`WORKER_STOP_SECONDS`). */
  readonly stopTimeoutMs: number;
  /** Stops the worker, then closes the database, Redis watch and clock. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Opens a worker from environment variables: the server's (`DATABASE_URL`, `TOKEN_KEYS`,
 * `REDIS_URL`, `SPOTIFY_*`, `S3_*`, `LOG_LEVEL`) and the worker's own (`WORKER_*`).
 *
 * @throws Error naming what is missing or wrong.
 */
export async function openWorker(
  env: Readonly<Record<string, string | undefined>>,
  options: { baseDir: string; logDestination?: DestinationStream } = { baseDir: process.cwd() },
): Promise<OpenedWorker> {
  const settings = loadWorkerSettings(env);
  if (env.TOKEN_KEYS === undefined || env.TOKEN_KEYS === '') {
    throw new Error(
      'Invalid worker configuration: TOKEN_KEYS is required (the keys the server seals tokens with)',
    );
  }
  const config = loadConfig(env, { baseDir: options.baseDir, randomBytes });
  const logger = createLogger(config.logLevel, options.logDestination).child({
    worker: process.pid,
  });
  const opened = await openResources(settings, config, logger);
  let worker: RunningWorker;
  try {
    worker = await startWorker({
      deps: opened.deps,
      databaseUrl: settings.databaseUrl,
      logger,
      concurrency: settings.concurrency,
      tickMs: settings.tickMs,
      pollingSeconds: settings.pollingSeconds,
      expireSeconds: settings.expireSeconds,
      maintenanceSeconds: settings.maintenanceSeconds,
      retryDelaySeconds: settings.retryDelaySeconds,
      pollIntervalMs: settings.pollIntervalMs,
      interrupt: () => opened.abort.abort(),
    });
  } catch (error) {
    await opened.close();
    throw error;
  }
  logger.info({ concurrency: settings.concurrency }, 'worker started');
  return {
    ...worker,
    stopTimeoutMs: settings.stopTimeoutMs,
    async close(timeoutMs = settings.stopTimeoutMs) {
      // In this order: no job of the worker runs any more once `stop` resolves (it stops
      // fetching, lets running jobs end, then closes the queue), so none meets a closed database.
      await worker.stop(timeoutMs);
      opened.abort.abort();
      await opened.close();
    },
  };
}

/** What a worker opens besides its queue: database, clock, Redis watch, object store, mail. */
interface OpenedResources {
  readonly deps: JobDeps;
  /** Aborts the jobs' signal (their Spotify calls and long loops stop at the next checkpoint). */
  readonly abort: AbortController;
  close(): Promise<void>;
}

async function openResources(
  settings: WorkerSettings,
  config: ServerConfig,
  logger: Logger,
): Promise<OpenedResources> {
  let clock: RemoteClock | { now(): number; close(): void } = { now: () => Date.now(), close() {} };
  if (settings.clockUrl !== undefined) clock = await followRemoteClock(settings.clockUrl);
  const redis: RedisHealth | undefined =
    config.redisUrl === undefined ? undefined : watchRedis(config.redisUrl, logger);
  const database = await openDatabase({ kind: 'postgres', url: settings.databaseUrl });
  const objects = openObjectStore(config.objects);
  const faceCache = createFaceCacheStore(database.db as unknown as Kysely<unknown>);
  const abort = new AbortController();
  // Every running job's Spotify calls listen to the one shutdown signal.
  setMaxListeners(0, abort.signal);
  const deps: JobDeps = {
    database,
    spotify: workerSpotify({
      config: config.spotify,
      mock: settings.mockSpotify,
      clock,
      redis,
      redisPrefix: config.redisPrefix,
      rate: settings.spotifyRate,
    }),
    users: createUserRepository(database.db),
    cipher: createTokenCipher(config.tokenKeys),
    clock,
    logger,
    redirectUri: () =>
      config.spotify.kind === 'real' ? config.spotify.redirectUri : 'http://127.0.0.1/callback',
    // The server's caches live in the server process: moving the user's cache generation in the
    // database makes its statistics and face profiles stale there (read at each view).
    onPlaysChanged: (userId) => {
      faceCache.markStale(userId).catch((error: unknown) => {
        logger.warn({ userId, err: error }, 'cache generation not moved after new plays');
      });
    },
    onImportDone: () => undefined,
    importProgress: new ImportProgressHub(),
    signal: abort.signal,
    objects,
    media: { objects, ffmpegPath: config.ffmpegPath },
    billing: config.billing,
    enrichTracks:
      settings.enrichment === undefined
        ? undefined
        : await openTrackEnrichment({
            db: database.db as unknown as Kysely<unknown>,
            ...settings.enrichment,
          }),
  };
  const releases = await openReleases(deps, config);
  Object.assign(deps, { releases });
  return {
    deps,
    abort,
    async close() {
      releases?.close();
      await database.close();
      objects.close();
      redis?.close();
      clock.close();
    },
  };
}

/** The release mails' runtime; without a public URL (the mails link to the server) none. */
async function openReleases(deps: JobDeps, config: ServerConfig) {
  const publicUrl = config.publicUrl;
  if (publicUrl === undefined) {
    deps.logger.warn(
      'PUBLIC_URL is not set: release sweeps and digests fail until it is (their mails link to the server)',
    );
    return undefined;
  }
  return openReleasesRuntime({
    database: deps.database,
    spotify: deps.spotify,
    clock: deps.clock,
    logger: deps.logger,
    dataDir: config.dataDir,
    mail: config.mail,
    publicUrl: () => publicUrl,
  });
}
