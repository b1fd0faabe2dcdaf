// `pnpm --filter @spoti/example-worker start`: one worker process of the example server's jobs on
// PostgreSQL (pg-boss). Start as many as you like against the same DATABASE_URL.
import { join } from 'node:path';
import { openWorker } from './open-worker.js';

let worker: Awaited<ReturnType<typeof openWorker>>;
try {
  worker = await openWorker(process.env, { baseDir: join(import.meta.dirname, '..') });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.error(`${signal}: finishing running jobs, then stopping`);
  // Past the jobs' time to finish, the interrupt's grace and closing: something hangs.
  const hard = setTimeout(() => process.exit(1), worker.stopTimeoutMs + 10_000);
  hard.unref();
  worker.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
