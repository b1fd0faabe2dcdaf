import { type CallUsage, isSpotifyError, isSpotifyRateLimitError } from '@spoti/client';
import { SyncError, isSyncError } from '../errors/sync-error.js';
import type {
  SyncRun,
  SyncRunKind,
  SyncRunStatus,
  SyncStateStore,
} from '../state/sync-state-store.js';

/** Key of the "do not call Spotify before" value kept per user. */
export const RESUME_KEY = 'resumeAt';

const MAX_ERRORS = 5;

/** Counts one run's calls, retries and 429s, and writes its log entry when it ends. */
export class RunRecorder {
  readonly id: string;
  readonly startedAt: number;
  added = 0;
  removed = 0;
  resumeAt: number | null = null;
  status: SyncRunStatus = 'ok';
  readonly errors: string[] = [];
  readonly details: Record<string, number | string | boolean | null> = {};

  constructor(
    private readonly state: SyncStateStore,
    /** What the run's own requests cost, counted by the client for this run only. */
    private readonly usage: CallUsage,
    private readonly userId: string,
    readonly kind: SyncRunKind,
    private readonly now: () => number,
    nextId: () => string,
  ) {
    this.id = nextId();
    this.startedAt = now();
  }

  /** Calls the run has made so far (retries included). */
  calls(): number {
    return this.usage.calls;
  }

  /** Adds to a numeric detail. */
  count(key: string, by = 1): void {
    const current = this.details[key];
    this.details[key] = (typeof current === 'number' ? current : 0) + by;
  }

  /**
   * Classifies a failure. Rate limits end the run cleanly (`RATE_LIMITED`, `resumeAt` kept for the
   * next run) and return normally; anything else is recorded as `failed` and rethrown as a
   * {@link SyncError}.
   */
  async fail(error: unknown): Promise<void> {
    if (isSpotifyRateLimitError(error)) {
      this.status = 'rate_limited';
      this.resumeAt = error.resumeAt;
      this.errors.push(error.message);
      await this.state.setValue(this.userId, RESUME_KEY, {
        resumeAt: error.resumeAt,
        scope: error.scope,
      });
      return;
    }
    this.status = 'failed';
    this.errors.push(error instanceof Error ? error.message : String(error));
    await this.finish().catch(() => undefined);
    if (isSyncError(error)) throw error;
    if (isSpotifyError(error)) {
      throw new SyncError({
        code: error.code === 'ABORTED' ? 'ABORTED' : 'SPOTIFY_FAILURE',
        message: `Spotify call failed during the ${this.kind} sync: ${error.message}`,
        cause: error,
      });
    }
    throw new SyncError({
      code: 'STORE_FAILURE',
      message: `The ${this.kind} sync failed: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }

  #finished: SyncRun | null = null;

  /** Writes the run's log entry (once). */
  async finish(): Promise<SyncRun> {
    if (this.#finished !== null) return this.#finished;
    const run: SyncRun = {
      id: this.id,
      userId: this.userId,
      kind: this.kind,
      status: this.status,
      startedAt: this.startedAt,
      finishedAt: this.now(),
      added: this.added,
      removed: this.removed,
      calls: this.calls(),
      retries: this.usage.retries,
      rateLimitWaits: this.usage.rateLimitWaits,
      errors: this.errors.slice(0, MAX_ERRORS),
      resumeAt: this.resumeAt,
      details: { ...this.details },
    };
    this.#finished = run;
    await this.state.appendRun(run);
    return run;
  }
}

/** The stored "resume at" of a user when it lies in the future, else null. */
export async function pendingResume(
  state: SyncStateStore,
  userId: string,
  now: number,
): Promise<number | null> {
  const value = (await state.getValue(userId, RESUME_KEY)) as { resumeAt?: unknown } | null;
  const at = typeof value?.resumeAt === 'number' ? value.resumeAt : null;
  return at !== null && at > now ? at : null;
}
