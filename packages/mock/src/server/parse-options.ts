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
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new MockError({
    code: 'INVALID_OPTIONS',
    message: `Invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    cause: parsed.error,
  });
}
