// `pnpm start`: the example server with zero configuration (embedded Spotify + PGlite), or with
// the environment's configuration for real use (see .env.example).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from './config.js';
import { readOrCreateLocalSecrets } from './local-secrets.js';
import { isServerError } from './server-error.js';
import { startServer } from './server.js';

const baseDir = join(import.meta.dirname, '..');
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, {
    baseDir,
    randomBytes,
    localSecrets: (dataDir) => readOrCreateLocalSecrets(dataDir, randomBytes),
  });
} catch (error) {
  console.error(isServerError(error) ? error.message : error);
  process.exit(1);
}
const server = await startServer(config);
const mock = server.context.spotify.mock;
console.log(`\nspoti is running at ${server.url}\n`);
if (mock !== undefined) {
  console.log('Spotify is simulated locally (no account needed). To sign in as a demo listener,');
  console.log(`open ${server.url}/ and pick one, or go straight to ${server.url}/login`);
  console.log(
    `(signs in as ${[...mock.world.users.values()][0]?.displayName ?? 'the first listener'}).`,
  );
}
console.log(
  `Data: ${config.database.kind === 'pglite' ? config.database.dataDir : 'PostgreSQL (DATABASE_URL)'}\n`,
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing in-flight requests and jobs, then closing the database`);
  const hard = setTimeout(() => process.exit(1), 10_000);
  hard.unref();
  server.close(9_000).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
