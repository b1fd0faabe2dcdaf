import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockServer, startMock } from '@spoti/mock';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { type ServerConfig, loadConfig } from '../src/config.js';
import { type RunningServer, type StartOptions, startServer } from '../src/server.js';

/** The database backends every suite runs on. */
export const BACKENDS = ['pglite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

const ADMIN_URL = process.env.SERVER_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs one statement on the PostgreSQL test server's admin database (create/drop database). */
export async function onAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A server on port 0 with a mock Spotify the test controls, and how to tear both down. */
export interface TestServer {
  readonly server: RunningServer;
  readonly mock: MockServer;
  readonly url: string;
  readonly dataDir: string;
  readonly config: ServerConfig;
  /** A PostgreSQL URL of the server's database, when on PostgreSQL. */
  readonly databaseUrl: string | undefined;
  /** Starts a second server on the same database and data folder (restart tests). */
  restart(): Promise<RunningServer>;
  close(): Promise<void>;
}

/** Fake keys: 64 hex characters that are obviously not a secret. */
const FAKE_KEY = 'ab'.repeat(32);

/**
 * Starts the server on `backend` with a seeded tiny mock world as Spotify and the mock's clock.
 * PostgreSQL runs get a database of their own, dropped at close. `more` sets the mock world's seed
 * and extra start options (release mail, say).
 */
export async function startTestServer(
  backend: Backend,
  env: Record<string, string> = {},
  logDestination?: DestinationStream,
  more: { seed?: number; start?: Omit<StartOptions, 'mock' | 'clock'> } = {},
): Promise<TestServer> {
  const mock = await startMock({
    seed: more.seed ?? 11,
    profile: 'development-2026',
    worldOptions: { size: 'tiny' },
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'spoti-server-test-'));
  const dbName = `server_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const dbUrl = Object.assign(new URL(ADMIN_URL), { pathname: `/${dbName}` }).toString();
  if (backend === 'postgres') await onAdmin(`create database "${dbName}"`);
  const config = loadConfig(
    {
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.SERVER_TEST_LOG_LEVEL ?? 'silent',
      TOKEN_KEYS: `test:${FAKE_KEY}`,
      SESSION_SECRET: 'not-a-secret-just-a-test-session-key-0000',
      ...(backend === 'postgres' ? { DATABASE_URL: dbUrl } : {}),
      ...env,
    },
    { baseDir: dataDir, randomBytes },
  );
  const options: StartOptions = {
    ...more.start,
    mock,
    clock: mock.controls.clock,
    ...(logDestination ? { logDestination } : {}),
  };
  let server = await startServer(config, options);
  const servers = [server];
  return {
    get server() {
      return server;
    },
    mock,
    get url() {
      return server.url;
    },
    dataDir,
    config,
    databaseUrl: backend === 'postgres' ? dbUrl : undefined,
    async restart() {
      await server.close();
      server = await startServer(config, options);
      servers.push(server);
      return server;
    },
    async close() {
      for (const s of servers) await s.close();
      await mock.close();
      await rm(dataDir, { recursive: true, force: true });
      if (backend === 'postgres') await onAdmin(`drop database if exists "${dbName}" with (force)`);
    },
  };
}

/** A tiny HTTP user agent with a cookie jar, following no redirects by itself. */
export class Agent {
  readonly cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const sameOrigin = new URL(url).origin === new URL(this.base).origin;
    const headers = new Headers(init.headers);
    if (sameOrigin && this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    if (sameOrigin) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const [name, ...rest] = (pair ?? '').split('=');
        const value = rest.join('=');
        if (name === undefined) continue;
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line))
          this.cookies.delete(name.trim());
        else this.cookies.set(name.trim(), value);
      }
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** Posts a form (urlencoded). */
  post(path: string, form: Record<string, string>): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows redirects (across origins, as a browser would) and returns the last response. */
  async follow(path: string, limit = 10): Promise<Response> {
    let response = await this.get(path);
    for (let i = 0; i < limit && response.status >= 300 && response.status < 400; i++) {
      const location = response.headers.get('location') ?? '';
      response = await this.get(new URL(location, response.url).toString());
    }
    return response;
  }

  /** Signs in through the mock's authorize page as `listenerId`; returns the final response. */
  async signIn(listenerId?: string): Promise<Response> {
    return this.follow(
      `/login${listenerId === undefined ? '' : `?listener=${encodeURIComponent(listenerId)}`}`,
    );
  }

  /** The CSRF token rendered into the page at `path`. */
  async csrf(path = '/settings'): Promise<string> {
    const body = await (await this.get(path)).text();
    const match = /name="_csrf" value="([^"]+)"/.exec(body);
    if (match?.[1] === undefined) throw new Error(`no CSRF token on ${path}`);
    return match[1];
  }
}

/** The plays the mock's recently-played endpoint serves for a user (the last 50 of 30 s or more). */
export function recentTruth(mock: MockServer, userId: string) {
  return mock.controls.truth
    .plays(userId)
    .filter((p) => p.msPlayed >= 30_000)
    .slice(-50);
}

/** A user of the mock's world with recent plays. */
export function activeListener(mock: MockServer): string {
  const users = [...mock.world.users.values()];
  const best = users
    .map((u) => ({ id: u.id, n: recentTruth(mock, u.id).length }))
    .sort((a, b) => b.n - a.n)[0];
  if (best === undefined) throw new Error('the mock world has no users');
  return best.id;
}
