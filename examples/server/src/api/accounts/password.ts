import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id minimum: 19 MiB, two passes, one lane. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Passwords people pick first; refused whatever their length. */
const COMMON = new Set([
  'password1234',
  'passwordpassword',
  '1234567890',
  '12345678910',
  '0123456789',
  'qwertyuiop',
  'iloveyou123',
  'letmein1234',
  'administrator',
  'changeme123',
  'spotispoti',
]);

/** Inclusive bounds on a password's length (the upper one keeps hashing cheap to ask for). */
export const PASSWORD_LENGTH = { min: 10, max: 128 } as const;

/**
 * Why `password` is not acceptable for `email`, or null: 10 to 128 characters, at least 5
 * different characters, not a well-known password, and not built from the email address.
 */
export function passwordProblem(password: string, email: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_LENGTH.min)
    return `must be at least ${PASSWORD_LENGTH.min} characters long`;
  if (length > PASSWORD_LENGTH.max) return `must be at most ${PASSWORD_LENGTH.max} characters long`;
  if (new Set(password).size < 5) return 'must use at least 5 different characters';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'is one of the most common passwords';
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && lower.includes(local)) return 'must not contain your email address';
  return null;
}

/** An argon2id PHC string of `password`. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

let dummy: Promise<string> | undefined;

/**
 * Checks `password` against `phc`; with `phc` null (unknown email) it verifies against a dummy
 * hash, so an unknown email takes as long as a wrong password.
 */
export async function checkPassword(phc: string | null, password: string): Promise<boolean> {
  if (phc === null) {
    dummy ??= hash('not-a-real-password-used-for-timing', ARGON2);
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(phc, password).catch(() => false);
}
