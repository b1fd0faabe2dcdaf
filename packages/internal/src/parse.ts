import type { z } from 'zod';

/** How {@link parseOrFail} words the problems. */
export interface ProblemWording {
  /** What names the value itself in a problem (default `(root)`). */
  readonly root?: string;
  /** Problems named at the most (default: all). */
  readonly maxIssues?: number;
}

/**
 * The problems of a failed zod parse as one line: `<path>: <problem>; ...`, the path dotted and
 * the value itself named `(root)`.
 */
export function describeIssues(error: z.ZodError, wording: ProblemWording = {}): string {
  return error.issues
    .slice(0, wording.maxIssues)
    .map((i) => `${i.path.join('.') || (wording.root ?? '(root)')}: ${i.message}`)
    .join('; ');
}

/**
 * Parses `value` with `schema` at a package's boundary: the parsed value, or the error `fail`
 * makes of the problems (see {@link describeIssues}) and the zod error, thrown. Each package
 * passes its own error class, so the wording of every "invalid options" error is written once.
 */
export function parseOrFail<S extends z.ZodType>(
  schema: S,
  value: unknown,
  fail: (problems: string, cause: z.ZodError) => Error,
  wording: ProblemWording = {},
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw fail(describeIssues(parsed.error, wording), parsed.error);
}
