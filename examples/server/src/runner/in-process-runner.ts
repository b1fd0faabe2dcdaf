import type { Logger } from 'pino';
import { type AccountSyncResult, syncAccount } from '../jobs/account-sync.js';
import type { JobDeps } from '../jobs/deps.js';
import { importExportJob } from '../jobs/import-export.js';
import type { ImportJobProgress } from '../jobs/import-progress.js';
import { type PlaylistsRefreshResult, refreshPlaylistsJob } from '../jobs/playlists.js';
import {
  type DigestSummary,
  type ReleaseDigestsInput,
  type ReleaseSweepInput,
  type ReleaseSweepResult,
  releaseDigestsJob,
  releaseSweepJob,
} from '../jobs/releases.js';
import { type RenditionsResult, mediaRenditionsJob } from '../api/media/renditions-job.js';
import { type StudentLapsesResult, studentLapsesJob } from '../api/billing/student-lapses-job.js';

/** The jobs the server can run, by name, with their input and result. */
export interface JobTypes {
  'account-sync': {
    input: { userId: string; plays?: boolean; library?: boolean };
    result: AccountSyncResult;
  };
  'import-export': { input: { jobId: string }; result: ImportJobProgress };
  'playlists-refresh': {
    input: { userId: string; ruleId?: string };
    result: PlaylistsRefreshResult;
  };
  'release-sweep': { input: ReleaseSweepInput; result: ReleaseSweepResult };
  'release-digests': { input: ReleaseDigestsInput; result: DigestSummary };
  'media-renditions': { input: { songId: string }; result: RenditionsResult };
  'billing-student-lapses': { input: Record<string, never>; result: StudentLapsesResult };
}

const JOBS: {
  [K in keyof JobTypes]: (
    deps: JobDeps,
    input: JobTypes[K]['input'],
  ) => Promise<JobTypes[K]['result']>;
} = {
  'account-sync': syncAccount,
  'import-export': importExportJob,
  'playlists-refresh': refreshPlaylistsJob,
  'release-sweep': releaseSweepJob,
  'release-digests': releaseDigestsJob,
  'media-renditions': mediaRenditionsJob,
  'billing-student-lapses': studentLapsesJob,
};

/**
 * Runs jobs in this process (the default until the worker exists). `run` awaits the job;
 * `start` runs it in the background. `idle()` waits for everything started, and `stop()` aborts
 * long jobs at their next checkpoint and waits for them, for a graceful shutdown.
 */
export class InProcessRunner {
  readonly #running = new Map<Promise<unknown>, string | undefined>();
  readonly #abort: AbortController;

  constructor(
    private readonly deps: Omit<JobDeps, 'signal'>,
    private readonly logger: Logger,
    abort = new AbortController(),
  ) {
    this.#abort = abort;
  }

  /** The dependencies jobs of this process get (the embedded scheduler's jobs too). */
  get jobDeps(): JobDeps {
    return { ...this.deps, signal: this.#abort.signal };
  }

  /** The signal jobs see: aborted by `stop()`. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Runs a job and waits for it; `owner` (a user id) lets `idle(owner)` wait for that user's jobs. */
  run<K extends keyof JobTypes>(
    name: K,
    input: JobTypes[K]['input'],
    owner?: string,
  ): Promise<JobTypes[K]['result']> {
    const job = JOBS[name]({ ...this.deps, signal: this.#abort.signal }, input);
    this.#running.set(job, owner);
    void job.then(
      () => this.#running.delete(job),
      () => this.#running.delete(job),
    );
    return job;
  }

  /** Runs a job in the background. */
  start<K extends keyof JobTypes>(name: K, input: JobTypes[K]['input'], owner?: string): void {
    this.run(name, input, owner).catch((err: unknown) =>
      this.logger.error({ err, job: name }, 'job failed'),
    );
  }

  /** Resolves when no job (of `owner`, when given) is running. */
  async idle(owner?: string): Promise<void> {
    const pending = () =>
      [...this.#running].filter(([, o]) => owner === undefined || o === owner).map(([p]) => p);
    for (let jobs = pending(); jobs.length > 0; jobs = pending()) await Promise.allSettled(jobs);
  }

  /** Aborts running jobs and waits for them. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.idle();
  }
}
