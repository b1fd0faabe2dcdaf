// A server for the benchmarks, in a process of its own so its memory can be measured apart from
// the load generator. Zero-config (embedded Spotify) with the environment's database settings.
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
process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
