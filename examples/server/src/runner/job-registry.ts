import { ServerError } from '../server-error.js';
import type { JobDeps } from '../jobs/deps.js';

/** A job another job asks for when it finishes (e.g. the face refresh after a library sync). */
export interface FollowUp {
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
}

/** One kind of background job: a plain async function of `(deps, input)` and its retry policy. */
export interface JobDefinition<I = Record<string, unknown>, R = unknown> {
  /** Queue name: lower-case words joined by `-` (`poll-plays`). */
  readonly name: string;
  readonly run: (deps: JobDeps, input: I) => Promise<R>;
  /** Tries in total before the job is dead-lettered (default 5). */
  readonly attempts?: number;
  /** Wait before the first retry; doubles with each further try (default 30 s). */
  readonly backoffMs?: number;
  /** Calls Spotify: an app-wide rate-limit block defers it instead of running it. */
  readonly spotify?: boolean;
  /** Jobs to enqueue after a successful run. */
  readonly followUps?: (result: R, input: I) => readonly FollowUp[];
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The retry defaults a definition leaves out. */
export const JOB_DEFAULTS = { attempts: 5, backoffMs: 30_000 } as const;

/**
 * The background jobs this process knows, by name. Each job module registers its jobs (see
 * {@link JobModule}); the scheduler only schedules jobs that are registered, so a module added
 * later (the release sweep, smart playlists) starts running by registering.
 */
export class JobRegistry {
  readonly #jobs = new Map<string, JobDefinition<never, unknown>>();

  /**
   * Adds a job. Registering the same definition again is a no-op; another definition under a
   * taken name is an error.
   *
   * @throws ServerError `INVALID_INPUT` for a bad name, retry policy or a name taken twice.
   */
  register<I, R>(definition: JobDefinition<I, R>): this {
    if (!NAME.test(definition.name)) {
      throw new ServerError('INVALID_INPUT', `Invalid job name ${JSON.stringify(definition.name)}`);
    }
    const attempts = definition.attempts ?? JOB_DEFAULTS.attempts;
    const backoff = definition.backoffMs ?? JOB_DEFAULTS.backoffMs;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 50) {
      throw new ServerError('INVALID_INPUT', `Job ${definition.name}: attempts must be 1 to 50`);
    }
    if (!Number.isFinite(backoff) || backoff < 0) {
      throw new ServerError('INVALID_INPUT', `Job ${definition.name}: backoffMs must be >= 0`);
    }
    const existing = this.#jobs.get(definition.name);
    if (existing !== undefined && existing !== (definition as unknown)) {
      throw new ServerError('INVALID_INPUT', `Job ${definition.name} is already registered`);
    }
    this.#jobs.set(definition.name, definition as unknown as JobDefinition<never, unknown>);
    return this;
  }

  /** The definition of `name`, or undefined. */
  get(name: string): JobDefinition<Record<string, unknown>, unknown> | undefined {
    return this.#jobs.get(name) as JobDefinition<Record<string, unknown>, unknown> | undefined;
  }

  has(name: string): boolean {
    return this.#jobs.has(name);
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.#jobs.keys()].sort();
  }
}

/** A module of jobs: registers its definitions (and nothing else) when the runner loads it. */
export interface JobModule {
  readonly name: string;
  register(registry: JobRegistry): void;
}
