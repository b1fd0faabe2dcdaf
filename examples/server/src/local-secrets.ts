// Secrets a zero-config server generates for itself (session signing, token encryption, release
// links), kept in DATA_DIR so a restart on the same data folder still reads what it stored.
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalSecrets } from './config.js';
import { ServerError } from './server-error.js';

const HEX_KEY = /^[0-9a-f]{64}$/;

/**
 * Reads a one-line secret file, or creates it (owner-only, 32 random bytes as hex) on first use.
 * The file appears whole or not at all (written aside, then linked into place), and two processes
 * creating it at once agree: the link fails for the second, which reads the first one's file.
 *
 * @param accept what a stored value must look like (default: 64 hexadecimal characters).
 * @throws ServerError `INVALID_CONFIG` naming the file when it holds something else; it is never
 *   overwritten, since what was sealed or signed with it could not be read again.
 */
export function readOrCreateSecretFile(
  path: string,
  randomBytes: (size: number) => Buffer,
  accept: RegExp = HEX_KEY,
): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(aside, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(aside);
  }
  const value = readFileSync(path, 'utf8').trim();
  if (!accept.test(value)) {
    throw new ServerError(
      'INVALID_CONFIG',
      `${path} does not hold a generated secret; move it away to start with a new one`,
    );
  }
  return value;
}

/**
 * The session secret and token key of a server started without `SESSION_SECRET` or `TOKEN_KEYS`:
 * `session.key` and `token.key` in the data folder.
 */
export function readOrCreateLocalSecrets(
  dataDir: string,
  randomBytes: (size: number) => Buffer,
): LocalSecrets {
  return {
    sessionSecret: readOrCreateSecretFile(join(dataDir, 'session.key'), randomBytes),
    tokenKey: Buffer.from(readOrCreateSecretFile(join(dataDir, 'token.key'), randomBytes), 'hex'),
  };
}
