import type { z } from 'zod';
import { SpotifyError } from '../errors/spotify-error.js';

/** Validates options at a public boundary; throws an `INVALID_OPTIONS` SpotifyError. */
export function parseOptions<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const detail = result.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new SpotifyError({
      code: 'INVALID_OPTIONS',
      message: `Invalid options: ${detail}`,
      cause: result.error,
    });
  }
  return result.data;
}
