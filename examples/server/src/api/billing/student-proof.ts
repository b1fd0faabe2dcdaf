import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { MediaProblem } from '../media/media-problem.js';

const DAY = 86_400_000;
/** Longest verification one proof may grant: students verify again every year. */
export const MAX_VERIFICATION_MS = 366 * DAY;
/** How old a proof may be when it is redeemed. */
const MAX_PROOF_AGE_MS = 30 * DAY;
/** Clock difference tolerated between the verifier and this server. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * What a verifier of student enrolment attests: that the account `sub` belongs to a student of
 * `institution`, checked at `verifiedAt`, until `expiresAt` (Unix ms). `id` is the verifier's id
 * of the verification.
 */
export const studentClaimsSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(200),
  sub: z.string().min(1).max(200),
  institution: z.string().trim().min(1).max(200),
  verifiedAt: z.number().int().positive(),
  expiresAt: z.number().int().positive(),
});

/** The claims of a student proof. */
export type StudentClaims = z.infer<typeof studentClaimsSchema>;

const sign = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(`spoti-student-proof.${payload}`).digest('base64url');

/**
 * A proof as the verifier issues it: `<claims as base64url JSON>.<HMAC-SHA256 of them with the
 * shared secret, base64url>`. The server only verifies proofs; a verifier (or a stand-in in
 * tests) makes them with this function.
 *
 * @example
 * ```ts
 * const proof = signStudentProof({ v: 1, id: 'ver_1', sub: accountId, institution: 'Uni', verifiedAt: now, expiresAt: now + YEAR }, secret);
 * ```
 */
export function signStudentProof(claims: StudentClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

const invalid = (why: string): never => {
  throw new MediaProblem('INVALID_PROOF', `The proof of enrolment ${why}`);
};

/**
 * Checks a proof for `accountId` at `now`: signed with `secret`, well formed, made for this
 * account, issued in the last 30 days, not expired, and granting at most 366 days.
 *
 * @throws MediaProblem `INVALID_PROOF` naming what is wrong.
 */
export function verifyStudentProof(
  proof: string,
  options: { secret: string; accountId: string; now: number },
): StudentClaims {
  const [payload = '', signature = '', ...rest] = proof.split('.');
  const expected = Buffer.from(sign(payload, options.secret));
  const given = Buffer.from(signature);
  if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected))
    invalid('is not signed by the verifier this server trusts');
  let claims: StudentClaims | undefined;
  try {
    claims = studentClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
  } catch {
    invalid('is not in the verifier’s format');
  }
  const c = claims as StudentClaims;
  if (c.sub !== options.accountId) invalid('was made for another account');
  if (c.verifiedAt > options.now + CLOCK_SKEW_MS) invalid('is dated in the future');
  if (c.verifiedAt < options.now - MAX_PROOF_AGE_MS) invalid('is older than 30 days: verify again');
  if (c.expiresAt <= options.now) invalid('has expired: verify again');
  if (c.expiresAt - c.verifiedAt > MAX_VERIFICATION_MS)
    invalid('grants more than 366 days (students verify again every year)');
  return c;
}
