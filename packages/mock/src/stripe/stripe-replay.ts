import type { StripeAnswer } from './stripe-routes.js';

/**
 * Stripe's idempotency: a `POST` sent again with the same `Idempotency-Key` (same method and
 * path) gets the first answer back, as it was then.
 */
export interface StripeReplays {
  /** The answer first given to this request, if it is a repeat. */
  find(method: string, path: string, key: string | null): StripeAnswer | undefined;
  /** Keeps `answer` (a snapshot) for repeats of a keyed `POST`. */
  remember(method: string, path: string, key: string | null, answer: StripeAnswer): void;
}

/** An empty replay store. */
export function createReplays(): StripeReplays {
  const replays = new Map<string, StripeAnswer>();
  const keyOf = (method: string, path: string, key: string | null) =>
    key === null ? null : `${method} ${path} ${key}`;
  return {
    find(method, path, key) {
      const replayKey = keyOf(method, path, key);
      return replayKey === null ? undefined : replays.get(replayKey);
    },
    remember(method, path, key, answer) {
      const replayKey = keyOf(method, path, key);
      if (replayKey !== null && method === 'POST') replays.set(replayKey, answer);
    },
  };
}
