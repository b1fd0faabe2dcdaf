import type { z } from 'zod';
import { EnrichError, type EnrichErrorCode } from '../errors/enrich-error.js';

/**
 * Parses a value once at the boundary: the parsed value, or an {@link EnrichError} (code
 * `INVALID_OPTIONS` unless given) whose message is `Invalid <what>: <path>: <problem>; ...`
 * (`(root)` for the value itself), with the zod error as its cause.
 */
export function parseOptions<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
  failure: { readonly code?: EnrichErrorCode; readonly provider?: string } = {},
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new EnrichError({
      code: failure.code ?? 'INVALID_OPTIONS',
      message: `Invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      ...(failure.provider === undefined ? {} : { provider: failure.provider }),
      cause: parsed.error,
    });
  }
  return parsed.data;
}
