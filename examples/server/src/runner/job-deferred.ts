/**
 * Thrown by a job that cannot run before `until` (Spotify's rate limit or daily quota): the
 * queue runs it again then, without spending one of its tries.
 */
export class JobDeferred extends Error {
  override readonly name = 'JobDeferred';

  constructor(
    readonly until: number,
    readonly reason: string,
  ) {
    super(`deferred until ${new Date(until).toISOString()}: ${reason}`);
  }
}

/** True for a {@link JobDeferred}, also across bundled copies. */
export function isJobDeferred(error: unknown): error is JobDeferred {
  return (
    error instanceof Error &&
    error.name === 'JobDeferred' &&
    typeof (error as { until?: unknown }).until === 'number'
  );
}
