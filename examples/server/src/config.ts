import { resolve } from 'node:path';
import { z } from 'zod';
import { ServerError } from './server-error.js';
import type { S3StoreConfig } from './storage/object-store-s3.js';
import {
  type BillingConfig,
  billingEnvSchema,
  checkBillingEnv,
  readBillingConfig,
} from './api/billing/billing-config.js';

const url = (name: string) =>
  z
    .string()
    .refine((v) => URL.canParse(v), `${name} must be an absolute URL (e.g. https://example.org)`);

const hexKey = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes): openssl rand -hex 32');

/** `id:hexkey` pairs separated by commas; the first one encrypts, every one decrypts. */
const keyring = z.string().transform((value, ctx) => {
  const keys: { id: string; key: Buffer }[] = [];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [id, hex] = part.split(':');
    if (id === undefined || hex === undefined || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      ctx.addIssue({
        code: 'custom',
        message: 'each key must be written id:hex (id of letters, digits, _ or -)',
      });
      return z.NEVER;
    }
    const parsed = hexKey.safeParse(hex);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message: `key ${id} ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
      });
      return z.NEVER;
    }
    keys.push({ id, key: Buffer.from(hex, 'hex') });
  }
  if (keys.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'needs at least one key' });
    return z.NEVER;
  }
  return keys;
});

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_URL: url('PUBLIC_URL').optional(),
    DATA_DIR: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be letters, digits, :, _ or -')
      .default('spoti:'),
    SPOTIFY_CLIENT_ID: z.string().min(1).optional(),
    SPOTIFY_CLIENT_SECRET: z.string().min(1).optional(),
    SPOTIFY_REDIRECT_URI: url('SPOTIFY_REDIRECT_URI').optional(),
    SESSION_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters: openssl rand -hex 32')
      .optional(),
    TOKEN_KEYS: keyring.optional(),
    TRUST_PROXY: z.enum(['0', '1', 'true', 'false']).optional(),
    UPLOAD_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 ** 3),
    TRENDS_K: z.coerce.number().int().min(2).default(5),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
    WRITE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(120),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    MOCK_SEED: z.coerce.number().int().default(42),
    JOBS: z.enum(['embedded', 'worker', 'off']).default('embedded'),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
      .optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ENDPOINT: url('S3_ENDPOINT').optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: z.enum(['0', '1', 'true', 'false']).optional(),
    API_CORS_ORIGINS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter((o) => o !== ''),
      )
      .refine(
        (list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)),
        'must be origins separated by commas (e.g. https://app.example.org) or *',
      )
      .optional(),
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    API_LOGIN_ATTEMPTS_PER_15_MINUTES: z.coerce.number().int().positive().default(10),
    API_ADMIN_EMAILS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((e) => e.trim().toLowerCase())
          .filter((e) => e !== ''),
      )
      .optional(),
    S3_PREFIX: z
      .string()
      .regex(/^([A-Za-z0-9._-]+\/)*$/, 'must be empty or end with / (e.g. spoti/)')
      .default(''),
    FACE_REGENERATE_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(30),
    ENRICH_PROVIDERS: z
      .string()
      .regex(
        /^(reccobeats|musicbrainz|deezer|lastfm)(,(reccobeats|musicbrainz|deezer|lastfm))*$/,
        'must be a comma-separated list of reccobeats, musicbrainz, deezer, lastfm',
      )
      .optional(),
    ENRICH_USER_AGENT: z.string().trim().min(3).max(300).optional(),
    ENRICH_MOCK: z.enum(['0', '1', 'true', 'false']).optional(),
    LASTFM_API_KEY: z.string().min(1).max(100).optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).max(320).default('spoti releases <releases@localhost>'),
    RELEASES_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters: openssl rand -hex 32')
      .optional(),
    SCHEDULED_API_KEY: z
      .string()
      .min(32, 'must be at least 32 characters: openssl rand -hex 32')
      .optional(),
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    ...billingEnvSchema.shape,
  })
  .superRefine((env, ctx) => {
    checkBillingEnv(env, ctx);
    if (env.S3_BUCKET !== undefined) {
      for (const name of ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
        if (env[name] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'is required when S3_BUCKET is set',
          });
        }
      }
    }
    if (env.ENRICH_PROVIDERS?.split(',').includes('lastfm') && env.LASTFM_API_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['LASTFM_API_KEY'],
        message: 'is required when ENRICH_PROVIDERS names lastfm',
      });
    }
    const real = env.SPOTIFY_CLIENT_ID !== undefined;
    if (real && (env.ENRICH_MOCK === '1' || env.ENRICH_MOCK === 'true')) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENRICH_MOCK'],
        message: 'only works with the embedded Spotify (no SPOTIFY_CLIENT_ID)',
      });
    }
    if (!real) return;
    for (const name of [
      'SPOTIFY_REDIRECT_URI',
      'PUBLIC_URL',
      'SESSION_SECRET',
      'TOKEN_KEYS',
    ] as const) {
      if (env[name] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'is required when SPOTIFY_CLIENT_ID is set (real Spotify)',
        });
      }
    }
  });

/** Where Spotify lives: an in-process mock (zero configuration) or the real service. */
export type SpotifyConfig =
  | { readonly kind: 'embedded'; readonly seed: number }
  | {
      readonly kind: 'real';
      readonly clientId: string;
      readonly clientSecret: string | undefined;
      readonly redirectUri: string;
      readonly apiBaseUrl: string;
      readonly accountsBaseUrl: string;
    };

/** Where the data lives: PGlite in a folder (or in memory) or a PostgreSQL server. */
export type DatabaseConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string | undefined };

/** Where rendered images, uploads and backups are kept: a folder, or S3-compatible storage. */
export type ObjectStoreConfig =
  | { readonly kind: 'folder'; readonly root: string }
  | ({ readonly kind: 's3' } & S3StoreConfig);

/** The validated configuration of the server. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** The URL users reach the server at; `undefined` until the server listens in zero-config mode. */
  readonly publicUrl: string | undefined;
  /** Uploads, PGlite data and other files. */
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  /** Object storage (default: `<dataDir>/objects`). */
  readonly objects: ObjectStoreConfig;
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key this server writes. */
  readonly redisPrefix: string;
  readonly spotify: SpotifyConfig;
  /** Signs session cookies. Generated per process in zero-config mode. */
  readonly sessionSecret: string;
  /** Token-encryption keys; the first encrypts. */
  readonly tokenKeys: readonly { readonly id: string; readonly key: Buffer }[];
  readonly trustProxy: boolean;
  readonly uploadLimitBytes: number;
  readonly trendsK: number;
  readonly rateLimitPerMinute: number;
  /** Sign-in attempts, and state-changing requests of visitors not signed in, per address. */
  readonly authRateLimitPerMinute: number;
  /** State-changing requests per signed-in user. */
  readonly writeRateLimitPerMinute: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** New faces (variations, fresh profiles) one user may start per hour in the studio. */
  readonly faceRegeneratePerHour: number;
  /** Audio features and genres beyond Spotify (`@spoti/enrich`); undefined when off. */
  readonly enrich: EnrichConfig | undefined;
  /** Release emails: SMTP (`SMTP_URL`) or, by default, `.eml` files under the data folder. */
  readonly mail: {
    readonly smtpUrl: string | undefined;
    readonly from: string;
    /** Signs confirmation and unsubscribe links; default: a key kept in `<dataDir>/releases.key`. */
    readonly releasesSecret: string | undefined;
  };
  /** Key of `POST /scheduled/run-releases` (`X-API-KEY`); unset: the route answers 404. */
  readonly scheduledApiKey: string | undefined;
  /** Origins allowed to call `/api/v1` from a browser (`*` = any); none by default. */
  readonly apiCorsOrigins: readonly string[];
  /** Requests per minute per API token (per address without one). */
  readonly apiRateLimitPerMinute: number;
  /** Failed and successful login attempts per 15 minutes, per email and per address. */
  readonly apiLoginAttemptsPer15Minutes: number;
  /** Emails that get the `admin` role when they register. */
  readonly apiAdminEmails: readonly string[];
  /** The ffmpeg executable that makes audio renditions. */
  readonly ffmpegPath: string;
  /** Stripe subscriptions; null (billing off, everyone on Free) without `STRIPE_SECRET_KEY`. */
  readonly billing: BillingConfig | null;
  /**
   * Where the scheduled background jobs run: in this process (`embedded`, the default), in
   * `examples/worker` processes (`worker`: the server only runs what a user asks for), or nowhere.
   */
  readonly jobs?: 'embedded' | 'worker' | 'off';
}

/** Which enrichment services to ask, in order, and how. */
export interface EnrichConfig {
  readonly providers: readonly ('reccobeats' | 'musicbrainz' | 'deezer' | 'lastfm')[];
  /** User-Agent for the services (MusicBrainz requires a meaningful one). */
  readonly userAgent: string | undefined;
  readonly lastFmApiKey: string | undefined;
  /** Use `@spoti/mock`'s local stand-ins of the services (embedded Spotify only). */
  readonly mock: boolean;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Base of relative paths and of the default data folder. */
  readonly baseDir: string;
  /** Random bytes source for the generated zero-config secrets. */
  readonly randomBytes: (size: number) => Buffer;
  /**
   * Where the zero-config secrets come from when `SESSION_SECRET` or `TOKEN_KEYS` is unset: the
   * server passes `readOrCreateLocalSecrets`, which keeps them in the data folder so a restart
   * can read what it stored. Without it they are drawn from `randomBytes` for this process only.
   */
  readonly localSecrets?: (dataDir: string) => LocalSecrets;
}

/** The generated secrets of a server started without `SESSION_SECRET` or `TOKEN_KEYS`. */
export interface LocalSecrets {
  readonly sessionSecret: string;
  readonly tokenKey: Buffer;
}

type Env = z.output<typeof envSchema>;

/** The environment, blank variables left out, checked against the schema. */
function parseEnv(env: Readonly<Record<string, string | undefined>>): Env {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(blankless);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`)
      .join('; ');
    throw new ServerError('INVALID_CONFIG', `Invalid configuration: ${detail}`);
  }
  return parsed.data;
}

/** The mock Spotify without `SPOTIFY_CLIENT_ID`, else the real one. */
function spotifyConfig(e: Env): SpotifyConfig {
  if (e.SPOTIFY_CLIENT_ID === undefined) return { kind: 'embedded', seed: e.MOCK_SEED };
  return {
    kind: 'real',
    clientId: e.SPOTIFY_CLIENT_ID,
    clientSecret: e.SPOTIFY_CLIENT_SECRET,
    redirectUri: e.SPOTIFY_REDIRECT_URI ?? '',
    apiBaseUrl: 'https://api.spotify.com/v1',
    accountsBaseUrl: 'https://accounts.spotify.com',
  };
}

/** A folder in `DATA_DIR` without `S3_BUCKET`, else S3. */
function objectsConfig(e: Env, dataDir: string): ServerConfig['objects'] {
  if (e.S3_BUCKET === undefined) return { kind: 'folder', root: resolve(dataDir, 'objects') };
  return {
    kind: 's3',
    bucket: e.S3_BUCKET,
    region: e.S3_REGION,
    endpoint: e.S3_ENDPOINT,
    accessKeyId: e.S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? '',
    forcePathStyle: e.S3_FORCE_PATH_STYLE === '1' || e.S3_FORCE_PATH_STYLE === 'true',
    prefix: e.S3_PREFIX,
  };
}

/** Enrichment only when `ENRICH_PROVIDERS` names providers. */
function enrichConfig(e: Env): ServerConfig['enrich'] {
  if (e.ENRICH_PROVIDERS === undefined) return undefined;
  return {
    providers: [...new Set(e.ENRICH_PROVIDERS.split(','))] as EnrichConfig['providers'],
    userAgent: e.ENRICH_USER_AGENT,
    lastFmApiKey: e.LASTFM_API_KEY,
    mock: e.ENRICH_MOCK === '1' || e.ENRICH_MOCK === 'true',
  };
}

/**
 * Reads and validates the configuration from environment variables, with zero-config defaults:
 * no `SPOTIFY_CLIENT_ID` means an in-process mock Spotify; no `DATABASE_URL` means PGlite in
 * `DATA_DIR` (default `<baseDir>/.data`).
 *
 * @throws ServerError `INVALID_CONFIG` naming every variable that is wrong and why.
 * @example
 * ```ts
 * const config = loadConfig(process.env, { baseDir: process.cwd(), randomBytes });
 * ```
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions,
): ServerConfig {
  const e = parseEnv(env);
  const dataDir = resolve(options.baseDir, e.DATA_DIR ?? '.data');
  let generated: LocalSecrets | undefined;
  const local = (): LocalSecrets =>
    (generated ??= options.localSecrets?.(dataDir) ?? {
      sessionSecret: options.randomBytes(32).toString('hex'),
      tokenKey: options.randomBytes(32),
    });
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir,
    database:
      e.DATABASE_URL === undefined
        ? { kind: 'pglite', dataDir: resolve(dataDir, 'db') }
        : { kind: 'postgres', url: e.DATABASE_URL },
    objects: objectsConfig(e, dataDir),
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    spotify: spotifyConfig(e),
    sessionSecret: e.SESSION_SECRET ?? local().sessionSecret,
    tokenKeys: e.TOKEN_KEYS ?? [{ id: 'local', key: local().tokenKey }],
    trustProxy: e.TRUST_PROXY === '1' || e.TRUST_PROXY === 'true',
    uploadLimitBytes: e.UPLOAD_LIMIT_BYTES,
    trendsK: e.TRENDS_K,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    writeRateLimitPerMinute: e.WRITE_RATE_LIMIT_PER_MINUTE,
    logLevel: e.LOG_LEVEL,
    faceRegeneratePerHour: e.FACE_REGENERATE_PER_HOUR,
    enrich: enrichConfig(e),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, releasesSecret: e.RELEASES_SECRET },
    scheduledApiKey: e.SCHEDULED_API_KEY,
    apiCorsOrigins: e.API_CORS_ORIGINS ?? [],
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    apiLoginAttemptsPer15Minutes: e.API_LOGIN_ATTEMPTS_PER_15_MINUTES,
    apiAdminEmails: e.API_ADMIN_EMAILS ?? [],
    ffmpegPath: e.FFMPEG_PATH,
    billing: readBillingConfig(e),
    jobs: e.JOBS,
  };
}
