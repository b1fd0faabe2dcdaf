import { type SpotifyClient, isSpotifyError, isSpotifyRateLimitError } from '@spoti/client';
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
  retries = 0;
  rateLimitWaits = 0;
  resumeAt: number | null = null;
  status: SyncRunStatus = 'ok';
  readonly errors: string[] = [];
  readonly details: Record<string, number | string | boolean | null> = {};
  readonly #callsAtStart: number;
  readonly #unsubscribe: Array<() => void>;

  constructor(
    private readonly state: SyncStateStore,
    private readonly client: SpotifyClient,
    private readonly userId: string,
    readonly kind: SyncRunKind,
    private readonly now: () => number,
    nextId: () => string,
  ) {
    this.id = nextId();
    this.startedAt = now();
    this.#callsAtStart = client.totalCalls();
    this.#unsubscribe = [
      client.on('retry', () => {
        this.retries += 1;
      }),
      client.on('rateLimit', () => {
        this.rateLimitWaits += 1;
      }),
    ];
  }

  /** Calls made by the client since the run started. */
  calls(): number {
    return this.client.totalCalls() - this.#callsAtStart;
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

  /** Writes the run's log entry (once) and stops listening to the client. */
  async finish(): Promise<SyncRun> {
    if (this.#finished !== null) return this.#finished;
    for (const off of this.#unsubscribe) off();
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
      retries: this.retries,
      rateLimitWaits: this.rateLimitWaits,
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
