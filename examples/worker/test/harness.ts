import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { type AddressInfo, Socket, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
