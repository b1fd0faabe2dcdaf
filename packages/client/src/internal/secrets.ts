import { isSpotifyError } from '../errors/spotify-error.js';
import { redactText, sanitizeCause } from './redact.js';

/** Values shorter than this are not redacted literally (they would mangle ordinary text). */
const MIN_SECRET_LENGTH = 6;
/** How many rotating values (access and refresh tokens, codes, verifiers) are remembered. */
const MAX_ROTATING = 32;
const REDACTED = '[redacted]';

/**
 * The secrets this client knows (its client secret, the tokens it used, the codes and verifiers
 * it exchanged), so text that echoes one verbatim, in any shape the pattern-based
 * {@link redactText} cannot recognise, is still redacted. Rotating values are bounded: the
 * newest {@link MAX_ROTATING} are kept.
 */
export class KnownSecrets {
  readonly #permanent = new Set<string>();
  readonly #rotating = new Set<string>();
  /** Longest first, so a secret containing another is replaced whole. */
  #sorted: string[] = [];

  /** Remembers a value for the life of the client (the client secret). */
  addPermanent(value: string | undefined): void {
    if (!this.#accept(value) || this.#permanent.has(value)) return;
    this.#permanent.add(value);
    this.#resort();
  }

  /** Remembers a rotating value (a token, a code, a verifier). */
  add(value: string | undefined): void {
    if (!this.#accept(value) || this.#permanent.has(value)) return;
    if (this.#rotating.has(value)) return;
    this.#rotating.add(value);
    if (this.#rotating.size > MAX_ROTATING) {
      const oldest = this.#rotating.values().next().value;
      if (oldest !== undefined) this.#rotating.delete(oldest);
    }
    this.#resort();
  }

  /** `text` with every known secret (also URL-encoded) and every recognisable one removed. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#sorted) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return redactText(out);
  }

  /** Whether `text` holds a known secret verbatim. */
  leaks(text: string): boolean {
    return this.#sorted.some((secret) => text.includes(secret));
  }

  /**
   * Removes known secrets from an error in place (message, stack, the Spotify fields) and replaces
   * a cause that holds one with a redacted copy. Returns the same error.
   */
  scrub<E>(error: E): E {
    if (!(error instanceof Error) || this.#sorted.length === 0) return error;
    this.#scrubOwn(error);
    const cause = error.cause;
    if (cause !== undefined && this.#causeLeaks(cause)) {
      Object.defineProperty(error, 'cause', {
        value: this.#redactedCopy(cause),
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
    return error;
  }

  #scrubOwn(error: Error): void {
    for (const key of ['message', 'stack'] as const) {
      const value = error[key];
      if (typeof value === 'string' && this.leaks(value)) {
        Object.defineProperty(error, key, {
          value: this.redact(value),
          enumerable: false,
          writable: true,
          configurable: true,
        });
      }
    }
    if (isSpotifyError(error)) {
      const apiMessage = error.apiMessage;
      if (apiMessage !== undefined && this.leaks(apiMessage)) {
        Object.defineProperty(error, 'apiMessage', { value: this.redact(apiMessage) });
      }
      const path = error.request?.path;
      if (path !== undefined && this.leaks(path)) {
        Object.defineProperty(error, 'request', {
          value: { method: error.request?.method ?? '', path: this.redact(path) },
        });
      }
    }
  }

  #causeLeaks(cause: unknown, depth = 0): boolean {
    if (depth > 8) return true;
    if (cause instanceof Error) {
      return (
        this.leaks(`${cause.message}\n${cause.stack ?? ''}`) ||
        (cause.cause !== undefined && this.#causeLeaks(cause.cause, depth + 1)) ||
        Object.entries(cause).some(([, v]) => this.#valueLeaks(v))
      );
    }
    return this.#valueLeaks(cause);
  }

  #valueLeaks(value: unknown): boolean {
    if (typeof value === 'string') return this.leaks(value);
    if (typeof value !== 'object' || value === null) return false;
    try {
      return this.leaks(JSON.stringify(value) ?? '');
    } catch {
      // Not serialisable (cycles, BigInt): treat it as unsafe.
      return true;
    }
  }

  /** A plain copy of a cause with known secrets removed (nested causes too, depth-limited). */
  #redactedCopy(cause: unknown, depth = 0): Error {
    const base = sanitizeCause(cause);
    const copy = new Error(this.redact(base.message));
    copy.name = base.name;
    copy.stack = this.redact(base.stack ?? '');
    const code = (base as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
    if (depth < 8 && cause instanceof Error && cause.cause !== undefined) {
      Object.defineProperty(copy, 'cause', {
        value: this.#redactedCopy(cause.cause, depth + 1),
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }

  #accept(value: string | undefined): value is string {
    return typeof value === 'string' && value.length >= MIN_SECRET_LENGTH;
  }

  #resort(): void {
    const all = new Set<string>();
    for (const value of [...this.#permanent, ...this.#rotating]) {
      all.add(value);
      const encoded = encodeURIComponent(value);
      if (encoded !== value) all.add(encoded);
    }
    this.#sorted = [...all].sort((a, b) => b.length - a.length);
  }
}
