import { parseOrFail } from '@spoti/internal';
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
  parseOrFail(
    schema,
    value,
    (problems, cause) =>
      new AnalyticsError({ code: 'INVALID_INPUT', message: `${what}: ${problems}`, cause }),
    { root },
  );
}
