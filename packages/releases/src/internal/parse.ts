import type { z } from 'zod';
import { ReleasesError } from '../errors/releases-error.js';

/** Validates `input` with `schema`; a {@link ReleasesError} naming each bad field otherwise. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new ReleasesError({
    code: 'INVALID_OPTIONS',
    message: `Invalid ${what}: ${details}`,
    cause: result.error,
  });
}
