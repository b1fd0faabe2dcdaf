/** Progress of one import job as the pages show it. */
export interface ImportJobProgress {
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  /** 0..100. */
  readonly percent: number;
  readonly rows: number;
  readonly inserted: number;
  readonly duplicates: number;
  readonly podcasts: number;
}

type Listener = (progress: ImportJobProgress) => void;

/** Live progress of running imports, for server-sent events (in this process). */
export class ImportProgressHub {
  readonly #listeners = new Map<string, Set<Listener>>();

  subscribe(jobId: string, listener: Listener): () => void {
    let set = this.#listeners.get(jobId);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set?.delete(listener);
      if (set?.size === 0) this.#listeners.delete(jobId);
    };
  }

  publish(jobId: string, progress: ImportJobProgress): void {
    for (const listener of this.#listeners.get(jobId) ?? []) listener(progress);
  }
}
