/** A source of the current time in epoch milliseconds. Inject one to control time in tests. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The system clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() };
