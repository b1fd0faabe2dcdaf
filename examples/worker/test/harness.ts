import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import {
  type AddressInfo,
  type Server as NetServer,
  Socket,
  connect,
  createServer as createNetServer,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockServer, startMock } from '@spoti/mock';
import { createTokenCipher } from '@spoti/example-server/src/auth/token-cipher.js';
import { jobIdFor } from '@spoti/example-server/src/runner/job-id.js';
import { nextEvery, spreadOffset } from '@spoti/example-server/src/scheduler/slots.js';
import { type Database, openDatabase } from '@spoti/example-server/src/storage/database.js';
import { type SeededUser, seedUsers } from '@spoti/example-server/test/job-helpers.js';
import pg from 'pg';

export const ADMIN_URL =
  process.env.SERVER_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Fake keys: 64 hex characters that are obviously not a secret. */
export const FAKE_TOKEN_KEYS = `test:${'cd'.repeat(32)}`;

/** Runs one statement on the admin database. */
export async function onAdmin<T extends pg.QueryResultRow = pg.QueryResultRow>(
  statement: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<T>(statement, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A database of its own on the shared PostgreSQL, dropped by `drop()`. `asyncCommit` turns off
 * `synchronous_commit` for it: a commit no longer waits for its WAL to reach the disk (which a
 * crash of the PostgreSQL server, not of a client, could lose), so a suite about processes
 * killed and connections cut does not wait on the shared disk at every commit.
 */
export async function scratchDatabase(
  prefix: string,
  options: { readonly asyncCommit?: boolean } = {},
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await onAdmin(`create database "${name}"`);
  if (options.asyncCommit === true)
    await onAdmin(`alter database "${name}" set synchronous_commit = off`);
  const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();
  return {
    url,
    name,
    drop: () => onAdmin(`drop database if exists "${name}" with (force)`).then(() => undefined),
  };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP gate between the workers and PostgreSQL: see {@link startPostgresGate}. */
export interface PostgresGate {
  /** `url` (a PostgreSQL URL) through the gate. */
  through(url: string): string;
  /**
   * Does to the connections through the gate what a PostgreSQL restart does: every one drops at
   * once, new ones are refused for `downMs`, then accepted again. Resolves to how many connections
   * were dropped, once the gate accepts again.
   */
  restart(downMs: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts a gate on 127.0.0.1 that passes every connection on to `target` (a PostgreSQL URL). The
 * shared PostgreSQL serves other suites at the same time, so a real restart of it is out of the
 * question; through the gate, the workers see the same thing: their connections cut and the
 * server refusing them until it is back.
 */
export async function startPostgresGate(target: string): Promise<PostgresGate> {
  const { hostname, port: targetPort } = new URL(target);
  const open = new Set<Socket>();
  let server: NetServer | null = null;
  const pass = (client: Socket) => {
    const upstream = connect(Number(targetPort || 5432), hostname);
    open.add(client);
    const drop = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  };
  const listen = (port: number) =>
    new Promise<NetServer>((resolve, reject) => {
      const next = createNetServer(pass);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve(next));
    });
  const stop = async () => {
    const dropped = open.size;
    for (const socket of [...open]) socket.destroy();
    const closing = server;
    server = null;
    if (closing !== null) await new Promise<void>((resolve) => closing.close(() => resolve()));
    return dropped;
  };
  server = await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    through: (url) =>
      Object.assign(new URL(url), { hostname: '127.0.0.1', port: String(port) }).toString(),
    async restart(downMs) {
      const dropped = await stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await listen(port);
      return dropped;
    },
    close: async () => {
      await stop();
    },
  };
}

/** Serves `{ now }` from a clock, so worker processes share the test's simulated time. */
export async function serveClock(clock: {
  now(): number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ now: clock.now() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A redis-server of the test's own (never the shared one), stopped and started at will. */
export class OwnRedis {
  #child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.#child = child;
    for (let i = 0; i < 100; i++) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = new Socket();
          s.once('error', reject);
          s.connect(this.port, '127.0.0.1', () => resolve(s));
        });
        socket.destroy();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error(`redis-server did not start on ${this.port}`);
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** A worker process of examples/worker, with its log in a file. */
export class WorkerProcess {
  #child: ChildProcess | null = null;
  readonly logs: string[] = [];

  constructor(
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    readonly index: number,
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    const log = join(this.logDir, `worker-${this.index}-${this.logs.length}.log`);
    this.logs.push(log);
    const out = createWriteStream(log);
    const child = spawn(
      process.execPath,
      [
        '--conditions=@spoti/source',
        '--import',
        'tsx',
        join(import.meta.dirname, '../src/main.ts'),
      ],
      { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.#child = child;
  }

  /** `kill -9`: no chance to finish or acknowledge anything. */
  async kill9(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM and wait for the graceful exit; resolves to the exit code (null: not running). */
  async stop(): Promise<number | null> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null) return null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    return await exited;
  }

  /** Every log line of every run of this worker, parsed. */
  async lines(): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (const file of this.logs) {
      for (const line of (await readFile(file, 'utf8')).split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          out.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // a line cut by kill -9
        }
      }
    }
    return out;
  }
}

/** A folder for the workers' logs. */
export function logFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'spoti-worker-test-'));
}

/** Polls `check` until it is true (or throws after `timeoutMs`). */
export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What a suite of worker processes runs against: see {@link startScenario}. */
export interface Scenario {
  readonly scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  readonly mock: MockServer;
  /** The scratch database, opened by the test itself (to seed it and read the outcome). */
  readonly database: Database;
  readonly users: readonly SeededUser[];
  /** The mock's clock served to the workers (`CLOCK_URL`). */
  readonly clock: Awaited<ReturnType<typeof serveClock>>;
  /** The workers reach PostgreSQL through it (their `DATABASE_URL`); the test itself does not. */
  readonly postgres: PostgresGate;
  /** The folder of the workers' logs (and their `DATA_DIR`). */
  readonly logs: string;
  /** Simulated time when the listeners were signed in. */
  readonly t0: number;
  /** The environment every worker of the scenario starts with. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the clock and the mock and drops the database (`keepDatabase`: leaves it). */
  close(options?: { readonly keepDatabase?: boolean }): Promise<void>;
}

/** Options of {@link startScenario}. */
export interface ScenarioOptions {
  /** Prefix of the scratch database's name. */
  readonly prefix: string;
  /** Seed of the mock world. */
  readonly seed: number;
  readonly listeners: number;
  readonly artists: number;
  /** Days of listening history the world has before the simulated run starts. */
  readonly historyDays: number;
  /** Interval of the recent-plays poll (`POLL_INTERVAL_MS`). */
  readonly pollIntervalMs: number;
  /** Variables added to (or replacing) the workers' common environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The ground every worker suite stands on: a scratch PostgreSQL database (commits without
 * waiting for the disk: the suites kill clients, never the PostgreSQL server), the mock with a
 * tiny world, its listeners signed in with tokens the mock issued, the mock's clock served over
 * HTTP, and the environment a worker process needs to run against all of it with fast pacing.
 */
export async function startScenario(options: ScenarioOptions): Promise<Scenario> {
  const scratch = await scratchDatabase(options.prefix, { asyncCommit: true });
  const mock = await startMock({
    seed: options.seed,
    profile: 'development-2026',
    worldOptions: {
      size: 'tiny',
      users: options.listeners,
      artists: options.artists,
      historyDays: options.historyDays,
    },
  });
  const database = await openDatabase({ kind: 'postgres', url: scratch.url });
  const t0 = mock.controls.clock.now();
  const [id, hex] = FAKE_TOKEN_KEYS.split(':') as [string, string];
  const cipher = createTokenCipher([{ id, key: Buffer.from(hex, 'hex') }]);
  const users = await seedUsers(database, cipher, mock, options.listeners, t0);
  const clock = await serveClock(mock.controls.clock);
  const postgres = await startPostgresGate(scratch.url);
  const logs = await logFolder();
  const env = {
    DATABASE_URL: postgres.through(scratch.url),
    TOKEN_KEYS: FAKE_TOKEN_KEYS,
    SPOTIFY_API_URL: mock.apiUrl,
    SPOTIFY_ACCOUNTS_URL: mock.accountsUrl,
    CLOCK_URL: clock.url,
    DATA_DIR: logs,
    LOG_LEVEL: 'info',
    WORKER_TICK_MS: '100',
    WORKER_POLLING_SECONDS: '0.5',
    WORKER_RETRY_DELAY_SECONDS: '1',
    // Time runs several hundred times faster than the wall clock: pacing scaled to match.
    POLL_INTERVAL_MS: String(options.pollIntervalMs),
    SPOTIFY_RATE_WINDOW_MS: '1000',
    SPOTIFY_RATE_ALLOWANCE: '2000',
    ...options.env,
  };
  return {
    scratch,
    mock,
    database,
    users,
    clock,
    postgres,
    logs,
    t0,
    env,
    async close(closing = {}) {
      await clock.close();
      await postgres.close();
      await database.close();
      await mock.close();
      if (closing.keepDatabase !== true) await scratch.drop();
    },
  };
}

/** The ids of the recent-plays poll runs of `userId` due after `from` and by `to`. */
export function pollRunIds(userId: string, from: number, to: number, intervalMs: number): string[] {
  const key = `poll-plays:${userId}`;
  const ids: string[] = [];
  for (let s = nextEvery(from, intervalMs, spreadOffset(key, intervalMs)); s <= to; ) {
    ids.push(jobIdFor(`${key}@${s}`));
    s += intervalMs;
  }
  return ids;
}
