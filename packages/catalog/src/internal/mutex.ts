/** A FIFO async mutex. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for the lock; returns the function that releases it. */
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}
