import type { Session } from '../types.js';

/**
 * Listening sessions over plays fed in time order: a pause of more than `gap` ms between the end
 * of one play and the start of the next ends a session. A class (not closures per call) so the
 * optimised statistics loop keeps one call target across calls.
 */
export class SessionTracker {
  count = 0;
  msTotal = 0;
  #start = 0;
  #end = Number.NEGATIVE_INFINITY;
  #plays = 0;
  #ms = 0;
  #longestLength = -1;
  #longestStart = 0;
  #longestEnd = 0;
  #longestPlays = 0;
  #longestMs = 0;

  constructor(private readonly gap: number) {}

  /** Adds a play ending at `t` that lasted `ms`. */
  add(t: number, ms: number): void {
    const playStart = t - ms;
    if (playStart - this.#end > this.gap) {
      this.close();
      this.#start = playStart;
      this.#plays = 0;
      this.#ms = 0;
    }
    this.#end = Math.max(this.#end, t);
    this.#plays++;
    this.#ms += ms;
  }

  /** Ends the current session (call once after the last play). */
  close(): void {
    if (this.#plays === 0) return;
    this.count++;
    this.msTotal += this.#ms;
    const length = this.#end - this.#start;
    if (length > this.#longestLength) {
      this.#longestLength = length;
      this.#longestStart = this.#start;
      this.#longestEnd = this.#end;
      this.#longestPlays = this.#plays;
      this.#longestMs = this.#ms;
    }
  }

  /** The longest session (the first of equal length), or null without plays. */
  longest(): Session | null {
    if (this.#longestLength < 0) return null;
    return {
      start: new Date(this.#longestStart).toISOString(),
      end: new Date(this.#longestEnd).toISOString(),
      plays: this.#longestPlays,
      msPlayed: this.#longestMs,
    };
  }
}
