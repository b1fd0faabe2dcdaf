import { parseOrFail } from '@spoti/internal';
import type { z } from 'zod';
import { CatalogError } from '../errors/catalog-error.js';

/**
 * Validates options at a public boundary: returns the parsed value, or throws a `CatalogError`
 * with code `INVALID_INPUT` naming the first five wrong fields (the zod error is its `cause`).
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
      new CatalogError({ code: 'INVALID_INPUT', message: `Invalid ${what}: ${problems}`, cause }),
    { maxIssues: 5 },
  );
}
