import { parseOrFail } from '@spoti/internal';
import type { z } from 'zod';
import { MockError } from './mock-error.js';

/**
 * Parses `value` with `schema`; on failure raises a {@link MockError} `INVALID_OPTIONS` whose
 * message starts with `Invalid <what>:` and names every bad path.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  return parseOrFail(
    schema,
    value,
    (problems, cause) =>
      new MockError({ code: 'INVALID_OPTIONS', message: `Invalid ${what}: ${problems}`, cause }),
  );
}
