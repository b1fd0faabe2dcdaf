import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { MockServer } from '@spoti/mock';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './app.js';
import { openSpotify } from './auth/spotify.js';
import { createTokenCipher } from './auth/token-cipher.js';
import type { ServerConfig } from './config.js';
import type { AppContext } from './context.js';
import { ImportProgressHub } from './jobs/import-progress.js';
import { openTrackEnrichment } from './jobs/enrichment.js';
import { createLogger } from './logger.js';
import { EmbeddedJobs } from './runner/embedded-jobs.js';
import { createJobRegistry } from './runner/job-modules.js';
import { InProcessRunner } from './runner/in-process-runner.js';
import { EnrichmentService } from './services/enrichment.js';
import { FaceService } from './services/face-service.js';
import { type MailRetry, openReleasesRuntime } from './services/releases-service.js';
import type { Mailer } from '@spoti/releases';
import { schedulePlan } from './scheduler/plan.js';
import { listScheduledUsers } from './scheduler/users.js';
import { StatsService } from './services/stats-service.js';
import { TrendsService } from './services/trends-service.js';
import { type Database, openDatabase } from './storage/database.js';
import { createFaceRepository } from './storage/faces.js';
import { createImportJobRepository } from './storage/import-jobs.js';
import { openObjectStore } from './storage/open-object-store.js';
import { KyselySessionStore } from './storage/session-store.js';
import { createUserRepository } from './storage/users.js';
import { buildBrowserScripts } from './views/face-scripts.js';

/** Things tests and benchmarks hand in instead of the defaults. */
export interface StartOptions {
  /** A mock the caller controls (its clock, faults, consent user), used as Spotify. */
  readonly mock?: MockServer;
  /** Time source; default: the wall clock (embedded mode moves the mock's clock along with it). */
  readonly clock?: { now(): number };
  /** Where log lines go (default stdout). */
  readonly logDestination?: DestinationStream;
  /** Release mail overrides: a shorter SMTP backoff, a mailer wrapper that injects faults. */
  readonly releases?: {
    readonly mailRetry?: MailRetry;
    readonly wrapMailer?: (mailer: Mailer) => Mailer;
  };
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly context: AppContext;
  readonly http: Server;
  /**
   * Graceful shutdown: stop accepting, let in-flight requests finish, stop jobs at their next
   * checkpoint, close the database; forced after `timeoutMs` (default 10 s).
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Opens the database, Spotify (real or embedded) and the job runner, resumes unfinished imports,
 * and listens.
 *
 * @example
 * ```ts
 * const server = await startServer(loadConfig(process.env, { baseDir, randomBytes }));
 * console.log(server.url);
 * ```
 */
export async function startServer(
  config: ServerConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const logger: Logger = createLogger(config.logLevel, options.logDestination);
  const wall = { now: () => Date.now() };
  const baseClock = options.clock ?? wall;
  await mkdir(config.dataDir, { recursive: true });
  const spotify = await openSpotify(config.spotify, { mock: options.mock, clock: baseClock });
  const mock = spotify.mock;
  // The embedded Spotify follows the wall clock, so new plays appear as time passes.
  const clock =
    options.clock === undefined && mock !== undefined && options.mock === undefined
      ? {
          now: () => {
            const t = Date.now();
            if (t > mock.controls.clock.now()) mock.controls.clock.set(t);
            return t;
          },
        }
      : baseClock;
  // The studio's browser scripts are bundled while the database opens.
  const scripts = buildBrowserScripts();
  scripts.catch(() => undefined);
  let database: Database;
  try {
    database = await openDatabase(config.database);
  } catch (error) {
    await spotify.close();
    throw error;
  }
  const redis =
    config.redisUrl === undefined
      ? undefined
      : new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  redis?.on('error', (err) => logger.warn({ err }, 'redis error'));
  const objects = openObjectStore(config.objects);
  const users = createUserRepository(database.db);
  const enrichment = await EnrichmentService.open(config.enrich, { logger, mock });
  const stats = new StatsService(database.catalog, database.db, 50, enrichment);
  const importProgress = new ImportProgressHub();
  const cipher = createTokenCipher(config.tokenKeys);
  let publicUrl = config.publicUrl ?? '';
  const redirectUri = () =>
    config.spotify.kind === 'real' ? config.spotify.redirectUri : `${publicUrl}/callback`;
  const faces = new FaceService({
    database,
    faces: createFaceRepository(database.db),
    objects,
    spotify,
    cipher,
    clock,
    logger,
    redirectUri,
    regenerateLimit: config.faceRegeneratePerHour,
    regenerateWindowMs: 3_600_000,
    enricher: enrichment?.enricher,
  });
  try {
    await scripts;
  } catch (error) {
    await enrichment?.close();
    await database.close();
    await spotify.close();
    throw error;
  }
  const releases = await openReleasesRuntime({
    database,
    spotify,
    clock,
    logger,
    dataDir: config.dataDir,
    mail: config.mail,
    publicUrl: () => publicUrl,
    ...(options.releases?.mailRetry === undefined ? {} : { mailRetry: options.releases.mailRetry }),
    ...(options.releases?.wrapMailer === undefined
      ? {}
      : { wrapMailer: options.releases.wrapMailer }),
  });
  // The background `enrich-tracks` job asks the audio-features service for new tracks, with its
  // answers cached in the database, when enrichment includes it.
  const enrichTracks = config.enrich?.providers.includes('reccobeats')
    ? await openTrackEnrichment({
        db: database.db as unknown as Kysely<unknown>,
        userAgent: config.enrich.userAgent ?? 'spoti-example-server',
        reccoBeatsUrl: enrichment?.reccoBeatsUrl,
      })
    : undefined;
  const runner = new InProcessRunner(
    {
      database,
      spotify,
      users,
      cipher,
      clock,
      logger,
      redirectUri,
      onPlaysChanged: (userId) => {
        stats.invalidate(userId);
        return faces.invalidate(userId);
      },
      onImportDone: async (userId) => {
        // The face cache's mark (the generation statistics follow too) is moved before the
        // statistics are read, so they are read in the newest generation.
        await faces.invalidate(userId);
        // The import summary links to the all-time dashboard: have it ready.
        const user = await users.get(userId);
        if (user !== null) await stats.warm(userId, { kind: 'all' }, user.timeZone, clock.now());
      },
      importProgress,
      releases,
      media: { objects, ffmpegPath: config.ffmpegPath },
      billing: config.billing,
      enrichTracks,
    },
    logger,
  );
  // Scheduled background jobs in this process, unless worker processes run them.
  const jobs =
    (config.jobs ?? 'embedded') === 'embedded'
      ? new EmbeddedJobs({
          deps: { ...runner.jobDeps, objects },
          registry: createJobRegistry(),
          plan: schedulePlan(),
          listUsers: () => listScheduledUsers(database.db as unknown as Kysely<unknown>),
          logger,
        })
      : undefined;
  const context: AppContext = {
    config,
    database,
    users,
    importJobs: createImportJobRepository(database.db),
    runner,
    stats,
    trends: new TrendsService(database.catalog, database.db, () => users.listIds(), config.trendsK),
    spotify,
    cipher,
    importProgress,
    clock,
    logger,
    publicUrl: () => publicUrl,
    redirectUri,
    openStreams: new Set(),
    uploadDir: join(config.dataDir, 'uploads'),
    objects,
    faces,
    enrichment,
    releases,
    jobs,
  };
  let shuttingDown = false;
  const sessionStore = new KyselySessionStore(database.db, () => clock.now());
  // The app reads publicUrl when it is built (cookie Secure flag), so listen first, then mount.
  const { createServer } = await import('node:http');
  let handler: ReturnType<typeof createApp> | null = null;
  const http = createServer((req, res) => {
    if (handler === null) {
      res.statusCode = 503;
      res.end();
      return;
    }
    handler(req, res);
  });
  // Longer than the idle timeout of common proxies and clients, so they close idle connections first.
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  http.requestTimeout = 0; // uploads of 1 GiB take a while
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  if (publicUrl === '') publicUrl = url;
  handler = createApp(context, { sessionStore, redis, shuttingDown: () => shuttingDown });

  // Imports that were running when the process stopped resume from their checkpoint.
  for (const job of await context.importJobs.listUnfinished()) {
    logger.info({ jobId: job.id }, 'resuming import');
    runner.start('import-export', { jobId: job.id }, job.userId);
  }
  jobs?.start();
  const prune = setInterval(() => void sessionStore.prune().catch(() => undefined), 3_600_000);
  prune.unref();

  let closing: Promise<void> | null = null;
  return {
    url,
    context,
    http,
    close(timeoutMs = 10_000) {
      closing ??= (async () => {
        shuttingDown = true;
        clearInterval(prune);
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        for (const stream of context.openStreams) stream.end();
        const force = setTimeout(() => http.closeAllConnections(), Math.max(0, timeoutMs - 2000));
        force.unref();
        const jobsStopped = jobs?.stop();
        await runner.stop();
        await jobsStopped;
        releases.close();
        await closed;
        clearTimeout(force);
        await enrichment?.close();
        await database.close();
        redis?.disconnect();
        objects.close();
        await spotify.close();
      })();
      return closing;
    },
  };
}
