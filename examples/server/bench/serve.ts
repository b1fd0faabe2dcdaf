// A server for the benchmarks, in a process of its own so its memory can be measured apart from
// the load generator. Zero-config (embedded Spotify) with the environment's database settings.
// BENCH_MEMORY_LOG=<file> appends `process.memoryUsage()` (MiB) to that file every 200 ms, as one
// JSON line per sample, to see what the RSS is made of (V8 heap, external buffers, the rest).
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';

const config = loadConfig(
  {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
  },
  {
    baseDir: process.cwd(),
    randomBytes,
  },
);
const server = await startServer(config);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

const memoryLog = process.env.BENCH_MEMORY_LOG;
if (memoryLog !== undefined && memoryLog !== '') {
  const started = performance.now();
  const mib = (n: number) => Math.round(n / 1024 / 102.4) / 10;
  setInterval(() => {
    const m = process.memoryUsage();
    const sample = {
      at: Date.now(),
      t: Math.round(performance.now() - started),
      rss: mib(m.rss),
      heapTotal: mib(m.heapTotal),
      heapUsed: mib(m.heapUsed),
      external: mib(m.external),
      arrayBuffers: mib(m.arrayBuffers),
    };
    appendFileSync(memoryLog, `${JSON.stringify(sample)}\n`);
  }, 200).unref();
}

process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
