import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { MockServer } from '@spoti/mock';
import type { Kysely } from 'kysely';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './app.js';
import { openSpotify } from './auth/spotify.js';
import type { ServerConfig } from './config.js';
import type { AppContext } from './context.js';
import { createLogger } from './logger.js';
import { EmbeddedJobs } from './runner/embedded-jobs.js';
import { InProcessRunner } from './runner/in-process-runner.js';
import { createJobRegistry } from './runner/job-modules.js';
import { schedulePlan } from './scheduler/plan.js';
import { listScheduledUsers } from './scheduler/users.js';
import type { MailRetry } from './services/releases-service.js';
import type { Mailer } from '@spoti/releases';
import { openServices, type ServerServices } from './server-services.js';
import { TrendsService } from './services/trends-service.js';
import { createImportJobRepository } from './storage/import-jobs.js';
import { KyselySessionStore } from './storage/session-store.js';
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
 * The server's time source: the caller's clock, or the wall clock; an embedded Spotify the
 * server started itself follows the wall clock, so new plays appear as time passes.
 */
function serverClock(
  options: StartOptions,
  mock: MockServer | undefined,
  baseClock: { now(): number },
): { now(): number } {
  if (options.clock !== undefined || mock === undefined || options.mock !== undefined) {
    return baseClock;
  }
  return {
    now: () => {
      const t = Date.now();
      if (t > mock.controls.clock.now()) mock.controls.clock.set(t);
      return t;
    },
  };
}

/** The job runner of this process, which also keeps the statistics and face caches fresh. */
function createRunner(
  services: ServerServices,
  base: { clock: { now(): number }; logger: Logger; redirectUri: () => string },
  config: ServerConfig,
  spotify: AppContext['spotify'],
): InProcessRunner {
  const { database, users, cipher, stats, faces, importProgress, releases, objects } = services;
  const { clock, logger, redirectUri } = base;
  return new InProcessRunner(
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
      enrichTracks: services.enrichTracks,
    },
    logger,
  );
}

/** Scheduled background jobs in this process, unless worker processes run them. */
function embeddedJobs(
  config: ServerConfig,
  services: ServerServices,
  runner: InProcessRunner,
  logger: Logger,
): EmbeddedJobs | undefined {
  if ((config.jobs ?? 'embedded') !== 'embedded') return undefined;
  return new EmbeddedJobs({
    deps: { ...runner.jobDeps, objects: services.objects },
    registry: createJobRegistry(),
    plan: schedulePlan(),
    listUsers: () => listScheduledUsers(services.database.db as unknown as Kysely<unknown>),
    logger,
  });
}

/**
 * An HTTP server listening on the configured address that answers 503 until `mount` hands it the
 * app (the app reads the public URL, known only once the server listens).
 */
async function listen(
  config: ServerConfig,
): Promise<{ http: Server; url: string; mount(app: ReturnType<typeof createApp>): void }> {
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
  return {
    http,
    url: `http://${host}:${address.port}`,
    mount: (app) => {
      handler = app;
    },
  };
}

/**
 * Graceful shutdown in order: stop accepting and end event streams, stop jobs at their next
 * checkpoint, wait for in-flight requests (connections forced closed 2 s before `timeoutMs`),
 * then close the services.
 */
async function shutDown(
  http: Server,
  context: AppContext,
  services: ServerServices,
  timeoutMs: number,
): Promise<void> {
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  for (const stream of context.openStreams) stream.end();
  const force = setTimeout(() => http.closeAllConnections(), Math.max(0, timeoutMs - 2000));
  force.unref();
  const jobsStopped = context.jobs?.stop();
  await context.runner.stop();
  await jobsStopped;
  services.releases.close();
  await closed;
  clearTimeout(force);
  await services.enrichment?.close();
  await services.database.close();
  services.redis?.disconnect();
  services.objects.close();
  await context.spotify.close();
}

/** What routes are handed: the services, the job runner and scheduler, and the server's URLs. */
function createContext(
  config: ServerConfig,
  services: ServerServices,
  base: Pick<AppContext, 'spotify' | 'clock' | 'logger' | 'publicUrl' | 'redirectUri'>,
): AppContext {
  const { database, users, stats, cipher, importProgress, objects, faces } = services;
  const runner = createRunner(services, base, config, base.spotify);
  return {
    ...base,
    config,
    database,
    users,
    stats,
    cipher,
    importProgress,
    objects,
    faces,
    enrichment: services.enrichment,
    releases: services.releases,
    importJobs: createImportJobRepository(database.db),
    runner,
    trends: new TrendsService(database.catalog, database.db, () => users.listIds(), config.trendsK),
    openStreams: new Set(),
    uploadDir: join(config.dataDir, 'uploads'),
    jobs: embeddedJobs(config, services, runner, base.logger),
  };
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
  const baseClock = options.clock ?? { now: () => Date.now() };
  await mkdir(config.dataDir, { recursive: true });
  const spotify = await openSpotify(config.spotify, { mock: options.mock, clock: baseClock });
  const clock = serverClock(options, spotify.mock, baseClock);
  const scripts = buildBrowserScripts();
  scripts.catch(() => undefined);
  let publicUrl = config.publicUrl ?? '';
  const redirectUri = () =>
    config.spotify.kind === 'real' ? config.spotify.redirectUri : `${publicUrl}/callback`;
  const services = await openServices(config, {
    spotify,
    clock,
    logger,
    publicUrl: () => publicUrl,
    redirectUri,
    scripts,
    ...(options.releases === undefined ? {} : { releases: options.releases }),
  });
  const base = { spotify, clock, logger, publicUrl: () => publicUrl, redirectUri };
  const context = createContext(config, services, base);
  const { database } = services;
  let shuttingDown = false;
  const sessionStore = new KyselySessionStore(database.db, () => clock.now());
  // The app reads publicUrl when it is built (cookie Secure flag), so listen first, then mount.
  const { http, url, mount } = await listen(config);
  if (publicUrl === '') publicUrl = url;
  mount(
    createApp(context, { sessionStore, redis: services.redis, shuttingDown: () => shuttingDown }),
  );

  // Imports that were running when the process stopped resume from their checkpoint.
  for (const job of await context.importJobs.listUnfinished()) {
    logger.info({ jobId: job.id }, 'resuming import');
    context.runner.start('import-export', { jobId: job.id }, job.userId);
  }
  context.jobs?.start();
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
        await shutDown(http, context, services, timeoutMs);
      })();
      return closing;
    },
  };
}
