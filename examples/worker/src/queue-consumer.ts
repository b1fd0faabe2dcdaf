import type PgBoss from 'pg-boss';

/** Options of {@link QueueConsumer}. */
export interface QueueConsumerOptions<T extends object> {
  readonly boss: PgBoss;
  /** The pg-boss queue to take jobs from. */
  readonly name: string;
  /** Jobs of this queue running at once in this process. */
  readonly concurrency: number;
  /** The pause before asking an empty queue again (a {@link QueueConsumer.wake} cuts it short). */
  readonly pollingMs: number;
  /**
   * Runs one job and settles it on the queue (complete or fail) itself, so each job is
   * acknowledged as soon as it ends instead of with a whole batch.
   */
  readonly handle: (job: PgBoss.JobWithMetadata<T>) => Promise<void>;
  readonly onError: (error: unknown) => void;
}

/**
 * Takes jobs from one pg-boss queue and keeps up to `concurrency` of them running: whenever a
 * slot is free it fetches as many jobs as there are free slots, so a slow job holds one slot
 * instead of holding back a whole batch. {@link stopFetching} ends the fetching; {@link idle}
 * resolves once every job it fetched has ended, which is what a clean shutdown waits for before
 * the queue and the database close.
 */
export class QueueConsumer<T extends object> {
  readonly #options: QueueConsumerOptions<T>;
  readonly #running = new Set<Promise<void>>();
  #stopping = false;
  #wake: (() => void) | null = null;
  /** Woken since the last fetch: jobs may be waiting, so the next pause is skipped. */
  #notified = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(options: QueueConsumerOptions<T>) {
    this.#options = options;
  }

  /** Jobs of this consumer running now. */
  get running(): number {
    return this.#running.size;
  }

  start(): void {
    this.#loop = this.#run();
  }

  /** Ends a polling pause now (jobs were just enqueued). */
  wake(): void {
    this.#notified = true;
    this.#wake?.();
  }

  /** Fetches no more jobs; resolves once a fetch in flight has returned and its jobs started. */
  async stopFetching(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
  }

  /** Resolves when no job of this consumer is running. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  async #run(): Promise<void> {
    const { boss, name, concurrency, pollingMs } = this.#options;
    while (!this.#stopping) {
      const free = concurrency - this.#running.size;
      if (free <= 0) {
        // Every slot is taken: go on when one frees (or when stopping); it fetches right away,
        // so a wake in between needs no remembering.
        this.#notified = false;
        await this.#pause(null, Promise.race(this.#running));
        continue;
      }
      this.#notified = false;
      let jobs: PgBoss.JobWithMetadata<T>[] = [];
      try {
        jobs = await boss.fetch<T>(name, { batchSize: free, includeMetadata: true });
      } catch (error) {
        this.#options.onError(error);
      }
      // Jobs fetched while stopping still run: they are ours now, and the database stays open
      // until they end.
      for (const job of jobs) this.#track(job);
      if (jobs.length < free) await this.#pause(pollingMs);
    }
  }

  #track(job: PgBoss.JobWithMetadata<T>): void {
    const running: Promise<void> = this.#options
      .handle(job)
      .catch((error: unknown) => this.#options.onError(error))
      .finally(() => {
        this.#running.delete(running);
      });
    this.#running.add(running);
  }

  /** Waits `ms` (null: no limit) or for `until`, or less when woken or stopping. */
  async #pause(ms: number | null, until?: Promise<unknown>): Promise<void> {
    if (this.#notified || this.#stopping) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.#wake = done;
      if (ms !== null) timer = setTimeout(done, ms);
      void until?.then(done, done);
    });
    clearTimeout(timer);
    this.#wake = null;
  }
}
