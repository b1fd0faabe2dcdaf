import type { z } from 'zod';
import { CatalogError } from '../errors/catalog-error.js';

/**
 * Validates options at a public boundary: returns the parsed value, or throws a `CatalogError`
 * with code `INVALID_INPUT` naming every wrong field (the zod error is its `cause`).
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length === 0 ? '(root)' : i.path.join('.')}: ${i.message}`)
    .join('; ');
  throw new CatalogError({
    code: 'INVALID_INPUT',
    message: `Invalid ${what}: ${problems}`,
    cause: result.error,
  });
}
