import { parseOrFail } from '@spoti/internal';
import type { z } from 'zod';
import { ReleasesError } from '../errors/releases-error.js';

/** Validates `input` with `schema`; a {@link ReleasesError} naming each bad field otherwise. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.output<S> {
  return parseOrFail(
    schema,
    input,
    (problems, cause) =>
      new ReleasesError({
        code: 'INVALID_OPTIONS',
        message: `Invalid ${what}: ${problems}`,
        cause,
      }),
  );
}
