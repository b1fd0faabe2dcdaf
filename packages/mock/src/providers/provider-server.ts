import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { closeServer, listen } from '../server/http.js';
import { parseOptions } from '../server/parse-options.js';
import { createWorld } from '../world/create-world.js';
import type { World } from '../world/types.js';
import { deezerRoutes } from './deezer.js';
import { lastFmRoutes } from './lastfm.js';
import { musicBrainzRoutes } from './musicbrainz.js';
import { reccoBeatsRoutes } from './reccobeats.js';

/** What a stand-in route answers. */
export interface ProviderAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The services the stand-ins speak for. */
export type ProviderName = 'reccobeats' | 'musicbrainz' | 'lastfm' | 'deezer';

/** A rolling-window rate limit of one stand-in. */
export interface ProviderRateLimit {
  /** Requests allowed per window. */
  readonly allowance: number;
  /** Window length in ms. */
  readonly windowMs: number;
}

/** One scripted fault: the next request of that service answers this instead. */
export type ProviderFault =
  | { readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly drop: true }
  | { readonly latencyMs: number }
  | { readonly malformed: true };

/** Options of {@link startProviderMocks}. */
export interface ProviderMockOptions {
  /** The world to serve (pass `mock.world` to share the Spotify mock's world). */
  readonly world?: World;
  /**
   * Seed of a world made here when none is passed (default 1), like `startMock({ seed })` and
   * `writeDataExport({ seed })`: the tracks and artists of an export of that seed are in it.
   */
  readonly seed?: number;
  readonly host?: string;
  readonly port?: number;
  /** Share of tracks ReccoBeats knows (default 0.92). */
  readonly reccoBeatsCoverage?: number;
  /** Share of artists MusicBrainz has (default 0.95). */
  readonly musicBrainzCoverage?: number;
  /** Share of artists Last.fm has (default 0.97). */
  readonly lastFmCoverage?: number;
  /** Share of artists Deezer has (default 0.97). */
  readonly deezerCoverage?: number;
  /**
   * Rate limits per service. Defaults follow each service: MusicBrainz 1 request per second
   * (answered 503), ReccoBeats 60 per 10 s (answered 429 with Retry-After), Last.fm 5 per second
   * (answered 429 with error 29), Deezer 50 per 5 s (answered 200 with error code 4).
   */
  readonly rateLimits?: Partial<Readonly<Record<ProviderName, ProviderRateLimit | null>>>;
}

/** Controls of the stand-ins. */
export interface ProviderMockControls {
  /** Queues faults for the next requests of one service. */
  script(provider: ProviderName, faults: readonly ProviderFault[]): void;
  /** Makes every request of a service answer `status` (e.g. 503) until called with null. */
  down(provider: ProviderName, status: number | null): void;
  /** Requests received per service (every request, answered or not). */
  counts(): Readonly<Record<ProviderName, number>>;
  /** Clears faults, counts and rate-limit windows. */
  reset(): void;
}

/** Running stand-ins of the enrichment services. */
export interface ProviderMockServer {
  readonly url: string;
  /** Base URL of the ReccoBeats stand-in, ending in `/v1`. */
  readonly reccoBeatsUrl: string;
  /** Base URL of the MusicBrainz stand-in, ending in `/ws/2`. */
  readonly musicBrainzUrl: string;
  /** Base URL of the Last.fm stand-in, ending in `/2.0`. */
  readonly lastFmUrl: string;
  /** Base URL of the Deezer stand-in (like `https://api.deezer.com`). */
  readonly deezerUrl: string;
  readonly world: World;
  readonly controls: ProviderMockControls;
  close(): Promise<void>;
}

const rateLimitSchema = z.object({
  allowance: z.number().int().min(1),
  windowMs: z.number().int().min(1),
});
const optionsSchema = z.object({
  world: z.custom<World>((v) => typeof v === 'object' && v !== null && 'tracks' in v).optional(),
  seed: z.number().int().optional(),
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(0),
  reccoBeatsCoverage: z.number().min(0).max(1).default(0.92),
  musicBrainzCoverage: z.number().min(0).max(1).default(0.95),
  lastFmCoverage: z.number().min(0).max(1).default(0.97),
  deezerCoverage: z.number().min(0).max(1).default(0.97),
  rateLimits: z
    .object({
      reccobeats: rateLimitSchema.nullable().optional(),
      musicbrainz: rateLimitSchema.nullable().optional(),
      lastfm: rateLimitSchema.nullable().optional(),
      deezer: rateLimitSchema.nullable().optional(),
    })
    .optional(),
});

const DEFAULT_LIMITS: Readonly<Record<ProviderName, ProviderRateLimit>> = {
  reccobeats: { allowance: 60, windowMs: 10_000 },
  musicbrainz: { allowance: 1, windowMs: 1_000 },
  lastfm: { allowance: 5, windowMs: 1_000 },
  deezer: { allowance: 50, windowMs: 5_000 },
};
/** MusicBrainz answers over-limit requests with 503; ReccoBeats with 429. */
const LIMIT_STATUS: Readonly<Record<ProviderName, number>> = {
  reccobeats: 429,
  musicbrainz: 503,
  lastfm: 429,
  deezer: 200,
};
const PREFIX: Readonly<Record<ProviderName, string>> = {
  reccobeats: '/reccobeats',
  musicbrainz: '/musicbrainz',
  lastfm: '/lastfm',
  deezer: '/deezer',
};

class Window {
  private hits: number[] = [];
  constructor(private readonly limit: ProviderRateLimit | null) {}
  /** Seconds to wait, or 0 when the request may go. */
  take(now: number): number {
    if (this.limit === null) return 0;
    while (this.hits.length > 0 && (this.hits[0] as number) <= now - this.limit.windowMs)
      this.hits.shift();
    if (this.hits.length >= this.limit.allowance)
      return Math.max(1, Math.ceil(((this.hits[0] as number) + this.limit.windowMs - now) / 1000));
    this.hits.push(now);
    return 0;
  }
  reset(): void {
    this.hits = [];
  }
}

function send(res: ServerResponse, answer: ProviderAnswer): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...answer.headers,
  });
  res.end(text);
}

const PROVIDERS = Object.keys(PREFIX) as ProviderName[];

/** A record with one value per service. */
function perProvider<T>(make: (provider: ProviderName) => T): Record<ProviderName, T> {
  return {
    reccobeats: make('reccobeats'),
    musicbrainz: make('musicbrainz'),
    lastfm: make('lastfm'),
    deezer: make('deezer'),
  };
}

/** What the stand-ins hold per service: routes, rate windows, scripted faults, outages, counts. */
interface ProviderState {
  readonly routes: Record<ProviderName, (path: string, query: URLSearchParams) => ProviderAnswer>;
  readonly windows: Record<ProviderName, Window>;
  readonly queues: Record<ProviderName, ProviderFault[]>;
  readonly downs: Record<ProviderName, number | null>;
  readonly counts: Record<ProviderName, number>;
}

/** Each service's over-limit answer body, as the service sends it. */
function limitBody(provider: ProviderName): unknown {
  if (provider === 'lastfm') return { error: 29, message: 'Rate Limit Exceeded' };
  if (provider === 'deezer')
    return { error: { type: 'Exception', message: 'Quota limit exceeded', code: 4 } };
  return { error: 'Your requests are exceeding the allowable rate limit' };
}

/** Applies a scripted fault; true when it answered (or dropped) the request. */
async function answerScriptedFault(
  req: IncomingMessage,
  res: ServerResponse,
  fault: ProviderFault,
): Promise<boolean> {
  if ('drop' in fault) {
    req.socket.destroy();
    return true;
  }
  if ('latencyMs' in fault) {
    await new Promise((r) => setTimeout(r, fault.latencyMs));
    return false;
  }
  if ('malformed' in fault) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"content": [{"id": "trunc');
    return true;
  }
  send(res, {
    status: fault.status,
    body: { error: `HTTP ${fault.status}` },
    headers:
      fault.retryAfterSeconds === undefined
        ? {}
        : { 'Retry-After': String(fault.retryAfterSeconds) },
  });
  return true;
}

async function handleProviderRequest(
  state: ProviderState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://providers.invalid');
  const provider = PROVIDERS.find((p) => url.pathname.startsWith(`${PREFIX[p]}/`));
  if (provider === undefined) return send(res, { status: 404, body: { error: 'Not Found' } });
  state.counts[provider]++;
  if (req.method !== 'GET')
    return send(res, { status: 405, body: { error: 'Method not allowed' } });
  if (provider === 'musicbrainz' && (req.headers['user-agent'] ?? '').trim() === '')
    return send(res, {
      status: 403,
      body: { error: 'A User-Agent identifying the application is required' },
    });
  const fault = state.queues[provider].shift();
  if (fault !== undefined && (await answerScriptedFault(req, res, fault))) return;
  const down = state.downs[provider];
  if (down !== null) return send(res, { status: down, body: { error: `HTTP ${down}` } });
  const wait = state.windows[provider].take(performance.now());
  if (wait > 0)
    return send(res, {
      status: LIMIT_STATUS[provider],
      body: limitBody(provider),
      headers: { 'Retry-After': String(wait) },
    });
  send(res, state.routes[provider](url.pathname.slice(PREFIX[provider].length), url.searchParams));
}

function controlsOf(state: ProviderState): ProviderMockControls {
  return {
    script: (provider, faults) => {
      state.queues[provider].push(...faults);
    },
    down: (provider, status) => {
      state.downs[provider] = status;
    },
    counts: () => ({ ...state.counts }),
    reset: () => {
      for (const p of PROVIDERS) {
        state.queues[p] = [];
        state.downs[p] = null;
        state.counts[p] = 0;
        state.windows[p].reset();
      }
    },
  };
}

/**
 * Starts local stand-ins of the enrichment services on 127.0.0.1, serving their documented
 * request and response shapes from the same seeded world as the Spotify mock: ReccoBeats under
 * `/reccobeats/v1`, the MusicBrainz web service under `/musicbrainz/ws/2`, Last.fm under
 * `/lastfm/2.0` and Deezer under `/deezer`, each with its own rate limit and scripted faults.
 *
 * @example
 * ```ts
 * const mock = await startMock({ seed: 7 });
 * const services = await startProviderMocks({ world: mock.world });
 * const res = await fetch(`${services.reccoBeatsUrl}/audio-features?ids=${[...mock.world.tracks.keys()][0]}`);
 * await services.close();
 * ```
 */
export async function startProviderMocks(
  options: ProviderMockOptions = {},
): Promise<ProviderMockServer> {
  const opts = parseOptions(optionsSchema, options, 'provider mock options');
  const world = opts.world ?? createWorld({ seed: opts.seed ?? 1 });
  const state: ProviderState = {
    routes: {
      reccobeats: reccoBeatsRoutes(world, opts.reccoBeatsCoverage),
      musicbrainz: musicBrainzRoutes(world, opts.musicBrainzCoverage),
      lastfm: lastFmRoutes(world, opts.lastFmCoverage),
      deezer: deezerRoutes(world, opts.deezerCoverage),
    },
    windows: perProvider((p) => {
      const limit = opts.rateLimits?.[p];
      return new Window(limit === undefined ? DEFAULT_LIMITS[p] : limit);
    }),
    queues: perProvider(() => []),
    downs: perProvider(() => null),
    counts: perProvider(() => 0),
  };
  const server = createServer((req, res) => {
    handleProviderRequest(state, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const base = await listen(server, opts.host, opts.port);
  return {
    url: base,
    reccoBeatsUrl: `${base}${PREFIX.reccobeats}/v1`,
    musicBrainzUrl: `${base}${PREFIX.musicbrainz}/ws/2`,
    lastFmUrl: `${base}${PREFIX.lastfm}/2.0`,
    deezerUrl: `${base}${PREFIX.deezer}`,
    world,
    controls: controlsOf(state),
    close: () => closeServer(server),
  };
}
