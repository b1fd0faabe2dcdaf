import type { Prng } from './prng.js';
import type { FaultSettings, FaultStep } from './types.js';

/** What to do to one request. */
export interface FaultDecision {
  latencyMs: number;
  drop: boolean;
  malformed: boolean;
  earlyExpiry: boolean;
  status: number | undefined;
  retryAfterSeconds: number | undefined;
}

/** Random and scripted faults; randomness comes from the mock's seeded PRNG. */
export class FaultController {
  private settings: FaultSettings = {};
  private queue: FaultStep[] = [];

  constructor(private readonly prng: Prng) {}

  set(settings: FaultSettings): void {
    this.settings = { ...settings };
  }

  script(steps: readonly FaultStep[]): void {
    this.queue.push(...steps);
  }

  clear(): void {
    this.settings = {};
    this.queue = [];
  }

  /** Decides the fault of the next request (a scripted step first, then the random settings). */
  next(path: string): FaultDecision {
    const decision: FaultDecision = {
      latencyMs: 0,
      drop: false,
      malformed: false,
      earlyExpiry: false,
      status: undefined,
      retryAfterSeconds: undefined,
    };
    const step = this.queue.shift();
    if (step !== undefined) {
      if ('status' in step) {
        decision.status = step.status;
        decision.retryAfterSeconds = step.retryAfterSeconds;
      } else if ('drop' in step) decision.drop = true;
      else if ('malformed' in step) decision.malformed = true;
      else if ('latencyMs' in step) decision.latencyMs = step.latencyMs;
      else decision.earlyExpiry = true;
      return decision;
    }
    const s = this.settings;
    if (s.paths !== undefined) {
      s.paths.lastIndex = 0;
      if (!s.paths.test(path)) return decision;
    }
    decision.latencyMs = s.latencyMs ?? 0;
    if (s.dropRate !== undefined && this.prng() < s.dropRate) decision.drop = true;
    else if (s.errorRate !== undefined && this.prng() < s.errorRate) {
      const statuses =
        s.statuses !== undefined && s.statuses.length > 0 ? s.statuses : [500, 502, 503];
      decision.status = statuses[Math.floor(this.prng() * statuses.length)] ?? 503;
      decision.retryAfterSeconds = s.retryAfterSeconds;
    } else if (s.malformedRate !== undefined && this.prng() < s.malformedRate)
      decision.malformed = true;
    else if (s.earlyExpiryRate !== undefined && this.prng() < s.earlyExpiryRate)
      decision.earlyExpiry = true;
    return decision;
  }
}
