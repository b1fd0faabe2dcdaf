import { z } from 'zod';
import type { HttpSettings } from '../internal/http.js';

/** HTTP options every built-in provider takes. */
export interface ProviderHttpOptions {
  /** Base URL of the service (tests point it at `@spoti/mock`'s stand-ins). */
  readonly baseUrl?: string;
  /** User-Agent sent with every request: name/version and a contact URL or address. */
  readonly userAgent?: string;
  /** Per-request timeout in ms. */
  readonly timeoutMs?: number;
  /** Retries of 429/5xx/network failures. */
  readonly retries?: number;
  /** Minimum ms between two requests (the service's rate limit). */
  readonly minTimeMs?: number;
  /** Longest Retry-After to sleep through; longer waits fail RATE_LIMITED and the next provider takes over. */
  readonly maxRetryAfterMs?: number;
  /** Overrides the display name (default: the service's name). */
  readonly name?: string;
  /** The fetch implementation (default: the global one). */
  readonly fetch?: typeof fetch;
}

/**
 * The default User-Agent: the package and its page. Applications should send their own name,
 * version and contact (MusicBrainz asks for it and may block anonymous agents).
 *
 * @example
 * ```ts
 * musicBrainzProvider({ userAgent: `my-app/1.0 ( me@example.org ) ${DEFAULT_USER_AGENT}` });
 * ```
 */
export const DEFAULT_USER_AGENT =
  'spoti-enrich/0.0 ( https://www.npmjs.com/package/@spoti/enrich )';

/** zod schema of {@link ProviderHttpOptions}, with the defaults of one provider. */
export function httpOptionsSchema(defaults: { baseUrl: string; minTimeMs: number; name: string }) {
  return z.object({
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default(defaults.baseUrl)
      .transform((u) => u.replace(/\/+$/, '')),
    userAgent: z.string().trim().min(3).max(300).default(DEFAULT_USER_AGENT),
    timeoutMs: z.number().int().min(1).max(300_000).default(15_000),
    retries: z.number().int().min(0).max(10).default(3),
    minTimeMs: z.number().int().min(0).max(60_000).default(defaults.minTimeMs),
    maxRetryAfterMs: z.number().int().min(0).max(3_600_000).default(30_000),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/)
      .default(defaults.name),
    fetch: z.custom<typeof fetch>((v) => typeof v === 'function').optional(),
  });
}

/** The parsed {@link ProviderHttpOptions} a provider's HTTP settings are made from. */
type ParsedHttpOptions = Pick<
  z.infer<ReturnType<typeof httpOptionsSchema>>,
  'name' | 'userAgent' | 'minTimeMs' | 'retries' | 'timeoutMs' | 'maxRetryAfterMs' | 'fetch'
>;

/**
 * The settings of a provider's JSON getter: its parsed HTTP options, plus what the service itself
 * needs (`maxConcurrent`, extra rate-limit statuses, error bodies, secrets to redact).
 */
export function providerHttpSettings(
  opts: ParsedHttpOptions,
  own: Omit<HttpSettings, keyof ParsedHttpOptions | 'provider'>,
): HttpSettings {
  return {
    provider: opts.name,
    userAgent: opts.userAgent,
    minTimeMs: opts.minTimeMs,
    retries: opts.retries,
    timeoutMs: opts.timeoutMs,
    maxRetryAfterMs: opts.maxRetryAfterMs,
    ...own,
    ...(opts.fetch === undefined ? {} : { fetch: opts.fetch }),
  };
}
