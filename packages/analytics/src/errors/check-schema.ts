import type { z } from 'zod';
import { AnalyticsError } from './analytics-error.js';

/**
 * Checks a value against a zod schema, throwing an `INVALID_INPUT` {@link AnalyticsError} whose
 * message is `what` followed by every issue as `path: message` (`root` names an empty path).
 */
export function checkSchema(
  schema: z.ZodType,
  value: unknown,
  what: string,
  root = '(root)',
): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  throw new AnalyticsError({
    code: 'INVALID_INPUT',
    message: `${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join('; ')}`,
    cause: parsed.error,
  });
}
