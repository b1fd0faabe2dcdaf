/**
 * A first-in, first-out async lock: one holder at a time, in arrival order.
 *
 * `lock()` suits code whose hold spans calls (a transaction from `begin` to `commit`);
 * `run(fn)` suits a critical section that is one function and releases even when it throws.
 */
export interface Mutex {
  /** Waits for the lock; resolves to the function that releases it (calling it twice is harmless). */
  lock(): Promise<() => void>;
  /** Runs `fn` while holding the lock and releases it when `fn` settles. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

class PromiseChainMutex implements Mutex {
  #tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    await previous;
    return release;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/**
 * Creates an unlocked {@link Mutex}.
 *
 * @example
 * ```ts
 * import { createMutex } from '@spoti/catalog';
 *
 * const mutex = createMutex();
 * let count = 0;
 * await Promise.all([1, 2, 3].map(() => mutex.run(async () => { count += 1; })));
 * ```
 */
export function createMutex(): Mutex {
  return new PromiseChainMutex();
}
