import { createHash } from 'node:crypto';

/**
 * The job id of a run key (`poll-plays:<user>@<slot>`): a name-based UUID (SHA-1, version 5
 * layout), so enqueuing the same run twice, from two workers or after a crash, makes one job.
 *
 * @example
 * ```ts
 * jobIdFor('cleanup@1765000000000') === jobIdFor('cleanup@1765000000000'); // true
 * ```
 */
export function jobIdFor(runKey: string): string {
  const hash = createHash('sha1').update(`spoti-job:${runKey}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
