import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);

const workerEnv = z.object({
  DATABASE_URL: z
    .string({ error: 'is required: the worker runs on PostgreSQL' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WORKER_TICK_MS: z.coerce.number().int().min(50).default(5_000),
  WORKER_POLLING_SECONDS: z.coerce.number().min(0.5).default(1),
  WORKER_EXPIRE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  WORKER_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(60),
  WORKER_STOP_SECONDS: z.coerce.number().positive().max(600).default(10),
  WORKER_RETRY_DELAY_SECONDS: seconds(0).optional(),
  POLL_INTERVAL_MS: z.coerce.number().int().min(1_000).optional(),
  SPOTIFY_API_URL: z.url().optional(),
  SPOTIFY_ACCOUNTS_URL: z.url().optional(),
  CLOCK_URL: z.url().optional(),
  SPOTIFY_RATE_WINDOW_MS: z.coerce.number().int().min(100).optional(),
  SPOTIFY_RATE_ALLOWANCE: z.coerce.number().int().min(1).optional(),
  ENRICH_USER_AGENT: z.string().min(3).optional(),
  RECCOBEATS_URL: z.url().optional(),
});

/** The worker's own settings (the server's `loadConfig` covers the shared ones). */
export interface WorkerSettings {
  readonly databaseUrl: string;
  /** Jobs one process runs at once. */
  readonly concurrency: number;
  /** Pause between scheduler ticks. */
  readonly tickMs: number;
  /** How often an idle worker asks the queue for work. */
  readonly pollingSeconds: number;
  /** A job running longer than this (its worker died) is failed and retried. */
  readonly expireSeconds: number;
  /** How often pg-boss expires stuck jobs and archives old ones. */
  readonly maintenanceSeconds: number;
  /**
   * On SIGTERM, how long running jobs may take to finish before they are interrupted (and
   * deferred, to run again without spending a try).
   */
  readonly stopTimeoutMs: number;
  /** Overrides every job's first retry delay (simulations); default: each job's own. */
  readonly retryDelaySeconds: number | undefined;
  readonly pollIntervalMs: number | undefined;
  /** A Spotify stand-in (`@spoti/mock`) instead of Spotify. */
  readonly mockSpotify: { readonly apiUrl: string; readonly accountsUrl: string } | undefined;
  /** Simulated time: a URL answering `{ "now": <ms> }` (the mock's clock in the reliability suite). */
  readonly clockUrl: string | undefined;
  /**
   * The Spotify pacing window and calls allowed in it (default: the client's, 30 s). Spotify does
   * not publish the allowance: set a little under what you observe. Simulations that compress
   * time scale it up, since the pacing runs on the wall clock.
   */
  readonly spotifyRate: { readonly windowMs?: number; readonly allowance?: number };
  /** Background enrichment of new tracks: on when a User-Agent for the services is set. */
  readonly enrichment:
    | { readonly userAgent: string; readonly reccoBeatsUrl: string | undefined }
    | undefined;
}

/**
 * Reads the worker's settings from the environment.
 *
 * @throws Error naming every variable that is wrong.
 */
export function loadWorkerSettings(
  env: Readonly<Record<string, string | undefined>>,
): WorkerSettings {
  const parsed = workerEnv.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
    throw new Error(`Invalid worker configuration: ${detail}`);
  }
  const e = parsed.data;
  if ((e.SPOTIFY_API_URL === undefined) !== (e.SPOTIFY_ACCOUNTS_URL === undefined)) {
    throw new Error(
      'Invalid worker configuration: set SPOTIFY_API_URL and SPOTIFY_ACCOUNTS_URL together',
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    concurrency: e.WORKER_CONCURRENCY,
    tickMs: e.WORKER_TICK_MS,
    pollingSeconds: e.WORKER_POLLING_SECONDS,
    expireSeconds: e.WORKER_EXPIRE_SECONDS,
    maintenanceSeconds: e.WORKER_MAINTENANCE_SECONDS,
    stopTimeoutMs: e.WORKER_STOP_SECONDS * 1000,
    retryDelaySeconds: e.WORKER_RETRY_DELAY_SECONDS,
    pollIntervalMs: e.POLL_INTERVAL_MS,
    mockSpotify:
      e.SPOTIFY_API_URL === undefined || e.SPOTIFY_ACCOUNTS_URL === undefined
        ? undefined
        : { apiUrl: e.SPOTIFY_API_URL, accountsUrl: e.SPOTIFY_ACCOUNTS_URL },
    clockUrl: e.CLOCK_URL,
    enrichment:
      e.ENRICH_USER_AGENT === undefined
        ? undefined
        : { userAgent: e.ENRICH_USER_AGENT, reccoBeatsUrl: e.RECCOBEATS_URL },
    spotifyRate: {
      ...(e.SPOTIFY_RATE_WINDOW_MS === undefined ? {} : { windowMs: e.SPOTIFY_RATE_WINDOW_MS }),
      ...(e.SPOTIFY_RATE_ALLOWANCE === undefined ? {} : { allowance: e.SPOTIFY_RATE_ALLOWANCE }),
    },
  };
}
