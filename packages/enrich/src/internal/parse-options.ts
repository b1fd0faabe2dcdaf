import { parseOrFail } from '@spoti/internal';
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
  return parseOrFail(
    schema,
    value,
    (problems, cause) =>
      new EnrichError({
        code: failure.code ?? 'INVALID_OPTIONS',
        message: `Invalid ${what}: ${problems}`,
        ...(failure.provider === undefined ? {} : { provider: failure.provider }),
        cause,
      }),
  );
}
