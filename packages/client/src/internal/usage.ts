import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one operation cost: the HTTP calls it made (retries and refresh resends included), how
 * many of them were retries, and how many 429s it met. Read it while the operation runs or after.
 */
export interface CallUsage {
  /** HTTP calls sent to the Web API. */
  readonly calls: number;
  /** Calls that were retries of an earlier attempt. */
  readonly retries: number;
  /** 429 answers met (waited out or failed fast). */
  readonly rateLimitWaits: number;
  /** Calls per endpoint template (`GET /artists/{id}`). */
  readonly byEndpoint: Readonly<Record<string, number>>;
}

interface Meter {
  calls: number;
  retries: number;
  rateLimitWaits: number;
  byEndpoint: Record<string, number>;
}

/** A measurement in progress and the client it belongs to. */
interface ActiveMeter {
  readonly owner: UsageMeters;
  readonly meter: Meter;
}

/**
 * One async context store for every client. On Node 20 each `AsyncLocalStorage` that was ever
 * used stays registered and is copied onto every promise made afterwards, so one per client made
 * a process that creates a client per job (a worker) slower with every client it made.
 */
const ACTIVE = new AsyncLocalStorage<readonly ActiveMeter[]>();

/**
 * The operations being measured around a request. A request captures the list when it starts (in
 * its caller's async context), so work queued behind the limiter still counts to the right
 * operation; nested measurements all count. Each client counts only its own requests.
 */
export class UsageMeters {
  /** Runs `fn` with a new meter; `fn` gets it live. */
  run<T>(fn: (usage: CallUsage) => Promise<T>): Promise<T> {
    const meter: Meter = { calls: 0, retries: 0, rateLimitWaits: 0, byEndpoint: {} };
    const outer = ACTIVE.getStore() ?? [];
    return ACTIVE.run([...outer, { owner: this, meter }], () => fn(meter));
  }

  /** The meters of the caller's async context (captured at the start of a request). */
  current(): readonly Meter[] {
    const active = ACTIVE.getStore();
    if (active === undefined) return [];
    return active.filter((a) => a.owner === this).map((a) => a.meter);
  }
}

/** Adds one call of `endpoint` to `meters`. */
export function countCall(meters: readonly Meter[], endpoint: string): void {
  for (const m of meters) {
    m.calls += 1;
    m.byEndpoint[endpoint] = (m.byEndpoint[endpoint] ?? 0) + 1;
  }
}

/** Adds one retry to `meters`. */
export function countRetry(meters: readonly Meter[]): void {
  for (const m of meters) m.retries += 1;
}

/** Adds one 429 to `meters`. */
export function countRateLimit(meters: readonly Meter[]): void {
  for (const m of meters) m.rateLimitWaits += 1;
}
