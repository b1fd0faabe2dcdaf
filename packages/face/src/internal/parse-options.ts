import { parseOrFail } from '@spoti/internal';
import type { z } from 'zod';
import { FaceError, type FaceErrorCode } from '../errors/face-error.js';

/** How a failed parse is reported. */
export interface ParseFailure {
  /** Error code (default `INVALID_OPTIONS`). */
  readonly code?: FaceErrorCode;
  /** The plugin the value came from, for plugin errors. */
  readonly plugin?: string;
  /** Problems named in the message at most (default: all). */
  readonly maxIssues?: number;
}

/**
 * Validates a value at a public boundary: returns the parsed value, or throws a {@link FaceError}
 * whose message is `Invalid <what>: <path>: <problem>; ...` (`(root)` for the value itself), with
 * the zod error as its cause.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  failure: ParseFailure = {},
): z.output<S> {
  return parseOrFail(
    schema,
    value,
    (problems, cause) =>
      new FaceError({
        code: failure.code ?? 'INVALID_OPTIONS',
        message: `Invalid ${what}: ${problems}`,
        ...(failure.plugin === undefined ? {} : { plugin: failure.plugin }),
        cause,
      }),
    failure.maxIssues === undefined ? {} : { maxIssues: failure.maxIssues },
  );
}
