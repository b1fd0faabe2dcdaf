// `spoti-server backup --out <file|s3://key>` and `spoti-server restore --in <file|s3://key>
// [--force]`: encrypted archives of the whole database (PGlite or PostgreSQL), key in BACKUP_KEY.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseBackupKey } from './backup/archive-cipher.js';
import { openSink, parseLocation, sourceOf } from './backup/archive-location.js';
import { isBackupError } from './backup/backup-error.js';
import { restoreArchive, writeArchive } from './backup/database-archive.js';
import { loadConfig } from './config.js';
import { isServerError } from './server-error.js';
import { openDatabase } from './storage/database.js';

const USAGE = `Usage:
  spoti-server backup --out <file | s3://key>
  spoti-server restore --in <file | s3://key> [--force]

The database is the server's (DATABASE_URL, or PGlite in DATA_DIR: stop the server first, PGlite
opens its folder once). The archive is encrypted with BACKUP_KEY (64 hex characters). s3:// keys
live in the S3 storage of S3_BUCKET and the other S3_* variables. restore wants an empty database
(it is migrated first) unless --force, which replaces every row.`;

/** Where the CLI writes and what it reads. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Base of relative archive paths. */
  readonly cwd: string;
  /** Base of the server's configuration (the default data folder). */
  readonly baseDir: string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * Runs the CLI and answers its exit code: 0 done, 1 failed (the message says why), 2 usage.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), { env: process.env, cwd: process.cwd(), baseDir, out: console.log, err: console.error });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    io.out(USAGE);
    return 0;
  }
  try {
    const key = parseBackupKey(io.env.BACKUP_KEY);
    const config = loadConfig(io.env, { baseDir: io.baseDir, randomBytes });
    const location = parseLocation(parsed.location, io.cwd);
    const database = await openDatabase(config.database);
    try {
      if (parsed.command === 'backup') {
        const sink = await openSink(location, config.objects);
        try {
          const summary = await writeArchive(database, key, sink.stream, Date.now());
          await sink.finish();
          io.out(
            `Backed up ${summary.rows} rows of ${summary.tables} tables to ${parsed.location}`,
          );
        } catch (error) {
          await sink.abort();
          throw error;
        }
      } else {
        const summary = await restoreArchive(database, key, sourceOf(location, config.objects), {
          force: parsed.force,
        });
        io.out(`Restored ${summary.rows} rows of ${summary.tables} tables from ${parsed.location}`);
      }
    } finally {
      await database.close();
    }
    return 0;
  } catch (error) {
    if (isBackupError(error) || isServerError(error)) {
      io.err(`${parsed.command} failed: ${error.message}`);
      return 1;
    }
    io.err(`${parsed.command} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function parse(
  argv: readonly string[],
): 'help' | { command: 'backup' | 'restore'; location: string; force: boolean } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      in: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...extra] = positionals;
  if (values.help || command === 'help') return 'help';
  if (extra.length > 0) throw new Error(`Unexpected arguments: ${extra.join(' ')}`);
  if (command === 'backup') {
    if (values.out === undefined) throw new Error('backup needs --out <file | s3://key>');
    if (values.in !== undefined || values.force) throw new Error('backup takes only --out');
    return { command, location: values.out, force: false };
  }
  if (command === 'restore') {
    if (values.in === undefined) throw new Error('restore needs --in <file | s3://key>');
    if (values.out !== undefined) throw new Error('restore takes --in, not --out');
    return { command, location: values.in, force: values.force === true };
  }
  throw new Error(command === undefined ? 'Name a command' : `Unknown command ${command}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    baseDir: join(import.meta.dirname, '..'),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exit(code);
}
