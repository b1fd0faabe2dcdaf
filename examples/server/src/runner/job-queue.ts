/** A job to put on a queue. */
export interface NewJob {
  /** Deterministic id ({@link jobIdFor} of the run key): enqueuing it twice makes one job. */
  readonly id: string;
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
  /** Not before this instant (Unix ms). */
  readonly runAfter: number;
}

/** Where the scheduler puts due runs: the embedded queue or the worker's pg-boss. */
export interface JobQueue {
  /** Adds jobs, ignoring ids already queued; resolves to how many were new. */
  enqueue(jobs: readonly NewJob[]): Promise<number>;
}
