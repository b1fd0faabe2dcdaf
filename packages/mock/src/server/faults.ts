import type { FaultSettings, FaultStep } from './types.js';

/** What to do to one request. */
export interface FaultDecision {
  latencyMs: number;
  drop: boolean;
  malformed: boolean;
  earlyExpiry: boolean;
  status: number | undefined;
  retryAfterSeconds: number | undefined;
  /** Apply the write, then drop its answer (`delayMs` undefined) or hold it back `delayMs`. */
  lostAnswer: { delayMs: number | undefined } | undefined;
}

/** Whether a request changes state (a Web API write), the kind a lost-answer fault hits. */
export function isWrite(method: string, path: string): boolean {
  return (method === 'POST' || method === 'PUT' || method === 'DELETE') && path.startsWith('/v1/');
}

/** A source of floats in [0, 1), such as a bound `Rng.next` from `world/prng.ts`. */
export type RandomSource = () => number;

/** Random and scripted faults; randomness comes from the mock's seeded PRNG. */
export class FaultController {
  private settings: FaultSettings = {};
  private queue: FaultStep[] = [];

  constructor(private readonly prng: RandomSource) {}

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

  /**
   * Decides the fault of the next request (a scripted step first, then the random settings). A
   * scripted lost-answer step waits at the head of the script until a write comes.
   */
  next(path: string, method = 'GET'): FaultDecision {
    const decision: FaultDecision = {
      latencyMs: 0,
      drop: false,
      malformed: false,
      earlyExpiry: false,
      status: undefined,
      retryAfterSeconds: undefined,
      lostAnswer: undefined,
    };
    const write = isWrite(method, path);
    const head = this.queue[0];
    const step =
      head !== undefined && 'lostAnswer' in head && !write ? undefined : this.queue.shift();
    if (step !== undefined) {
      if ('lostAnswer' in step) decision.lostAnswer = { delayMs: step.delayMs };
      else if ('status' in step) {
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
    else if (write && s.lostAnswerRate !== undefined && this.prng() < s.lostAnswerRate)
      decision.lostAnswer = { delayMs: s.lostAnswerDelayMs };
    return decision;
  }
}
