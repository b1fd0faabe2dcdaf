import { parseOrFail } from '@spoti/internal';
import type { z } from 'zod';
import { SpotifyError } from '../errors/spotify-error.js';

/** Validates options at a public boundary; throws an `INVALID_OPTIONS` SpotifyError. */
export function parseOptions<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  return parseOrFail(
    schema,
    input,
    (problems, cause) =>
      new SpotifyError({ code: 'INVALID_OPTIONS', message: `Invalid options: ${problems}`, cause }),
  );
}
