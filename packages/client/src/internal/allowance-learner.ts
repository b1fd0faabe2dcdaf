/** Settings of {@link AllowanceLearner}. */
export interface AllowanceLearnerSettings {
  /** The rolling window the server counts in, ms. */
  windowMs: number;
  /** The first guess, calls per window. */
  initial: number;
  /** Quiet, busy windows after a refusal before probing above the measured ceiling. */
  probeAfterWindows?: number | undefined;
}

/** A change of the learned allowance, for logs. */
export interface AllowanceChange {
  from: number;
  to: number;
  reason: 'measured' | 'decrease' | 'probe' | 'increase';
}

const MAX_ALLOWANCE = 100_000;
/** Growth per busy window before the first refusal (slow start). */
const SLOW_START = 1.25;
/** Decrease when a refusal teaches nothing new (we were already at the measured level). */
const DECREASE = 0.9;
/** Growth per busy window up to the ceiling, or when probing past it (at least one call). */
const STEP = 0.02;

/**
 * Learns a server's unpublished rolling-window allowance from its 429s. Pure: every method takes
 * the time.
 *
 * - On a refusal it counts the calls the server accepted in the window that ended with the
 *   refused call: that is what the server let through (the app's share of it, when other
 *   processes use the same app). Below the current allowance, that count becomes the allowance
 *   and the ceiling. At or above it (the count says nothing new: the limit dropped, or jitter),
 *   the allowance is cut multiplicatively.
 * - While the pacer is the bottleneck (a busy window) and nothing is refused, it grows: by 25 %
 *   per window until the first refusal (slow start), then by 2 % per window up to the ceiling,
 *   and past the ceiling only after `probeAfterWindows` busy windows without a refusal (default
 *   30: 15 minutes of Spotify's 30 s window; the limit may have risen).
 *   Idle windows teach nothing and change nothing.
 */
export class AllowanceLearner {
  readonly #windowMs: number;
  readonly #probeAfter: number;
  #allowance: number;
  #ceiling: number | undefined;
  /** Start times of accepted calls within the last window, oldest first. */
  readonly #accepted: number[] = [];
  #windowStart: number | undefined;
  #busyInWindow = false;
  #refusedInWindow = false;
  /** Busy windows without a refusal since the last refusal. */
  #quietWindows = 0;
  /** The last measurement: calls accepted in the window before the refused call started. */
  #measure: { start: number; count: number } | undefined;
  /** When the last refusal was answered. */
  #lastRefusalAt: number | undefined;

  constructor(settings: AllowanceLearnerSettings) {
    this.#windowMs = settings.windowMs;
    this.#allowance = Math.max(1, Math.floor(settings.initial));
    this.#probeAfter = settings.probeAfterWindows ?? 30;
  }

  /** The current allowance, calls per window. */
  get allowance(): number {
    return this.#allowance;
  }

  /** The highest count the server was measured to accept, once a refusal has been seen. */
  get ceiling(): number | undefined {
    return this.#ceiling;
  }

  /** The pacer had to hold a call back at `now` (demand is above the allowance). */
  busy(now: number): AllowanceChange | undefined {
    const change = this.#tick(now);
    this.#busyInWindow = true;
    return change;
  }

  /** A call started at `startedAt` was accepted (any answer but a window 429). */
  accepted(startedAt: number, now: number): AllowanceChange | undefined {
    const change = this.#tick(now);
    const m = this.#measure;
    if (m && startedAt <= m.start && startedAt > m.start - this.#windowMs) {
      // Still in flight when the refusal was counted: the server let one more through.
      m.count += 1;
      if (this.#allowance === m.count - 1) this.#allowance = m.count;
      this.#ceiling = Math.max(this.#ceiling ?? 0, m.count);
    }
    // Kept in start order; answers can arrive out of order.
    let i = this.#accepted.length;
    while (i > 0 && (this.#accepted[i - 1] as number) > startedAt) i -= 1;
    this.#accepted.splice(i, 0, startedAt);
    this.#trim(now);
    return change;
  }

  /** A call started at `startedAt` was refused with a window 429. */
  refused(startedAt: number, now: number): AllowanceChange | undefined {
    this.#tick(now);
    this.#refusedInWindow = true;
    this.#quietWindows = 0;
    this.#trim(now);
    // Sent before the previous refusal was heard of: the same burst, nothing new to learn.
    const previous = this.#lastRefusalAt;
    this.#lastRefusalAt = Math.max(previous ?? now, now);
    if (previous !== undefined && startedAt <= previous) return undefined;
    let count = 0;
    for (const t of this.#accepted)
      if (t > startedAt - this.#windowMs && t <= startedAt) count += 1;
    const from = this.#allowance;
    if (count >= 1 && count < from) {
      this.#allowance = count;
      this.#ceiling = count;
      this.#measure = { start: startedAt, count };
      return { from, to: count, reason: 'measured' };
    }
    // Refused at the pace already learned: the limit dropped, another process took a share, or
    // arrival jitter. Back off, and grow back to just below where it happened.
    this.#measure = undefined;
    const to = Math.max(1, Math.floor(from * DECREASE));
    this.#allowance = to;
    this.#ceiling = Math.max(to, from - 1);
    return to === from ? undefined : { from, to, reason: 'decrease' };
  }

  #trim(now: number): void {
    // A refused call may have started up to a window before it was answered: keep two windows.
    const horizon = now - 2 * this.#windowMs;
    while (this.#accepted.length > 0 && (this.#accepted[0] as number) <= horizon) {
      this.#accepted.shift();
    }
  }

  /** Closes every window that ended before `now`, growing after busy, quiet ones. */
  #tick(now: number): AllowanceChange | undefined {
    if (this.#windowStart === undefined) {
      this.#windowStart = now;
      return undefined;
    }
    if (now < this.#windowStart + this.#windowMs) return undefined;
    const from = this.#allowance;
    if (this.#busyInWindow && !this.#refusedInWindow) this.#grow();
    const elapsed = Math.floor((now - this.#windowStart) / this.#windowMs);
    this.#windowStart += elapsed * this.#windowMs;
    this.#busyInWindow = false;
    this.#refusedInWindow = false;
    const to = this.#allowance;
    if (to === from) return undefined;
    return {
      from,
      to,
      reason: this.#ceiling === undefined ? 'increase' : to > this.#ceiling ? 'probe' : 'increase',
    };
  }

  #grow(): void {
    const a = this.#allowance;
    if (this.#ceiling === undefined) {
      this.#allowance = Math.min(MAX_ALLOWANCE, Math.ceil(a * SLOW_START));
      return;
    }
    this.#quietWindows += 1;
    const step = Math.max(1, Math.round(a * STEP));
    if (a < this.#ceiling) this.#allowance = Math.min(this.#ceiling, a + step);
    else if (this.#quietWindows >= this.#probeAfter) {
      this.#allowance = Math.min(MAX_ALLOWANCE, a + step);
    }
  }
}
