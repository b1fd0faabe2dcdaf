import type { z } from 'zod';
import { EnrichError } from '../errors/enrich-error.js';

/** Parses options once at the boundary; throws INVALID_OPTIONS naming every bad field. */
export function parseOptions<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new EnrichError({
      code: 'INVALID_OPTIONS',
      message: `Invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      cause: parsed.error,
    });
  }
  return parsed.data;
}
