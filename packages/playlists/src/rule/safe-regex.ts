import { RE2JS } from 're2js';

/** The longest `matches` pattern accepted, in UTF-16 code units. */
export const MAX_PATTERN_LENGTH = 1000;

/** A compiled `matches` pattern: tests any part of a value, in time linear in the value's length. */
export interface SafePattern {
  test(value: string): boolean;
}

/**
 * Compiles a `matches` pattern with RE2 semantics (case-insensitive, Unicode), which guarantees
 * matching in time linear in the input: no backtracking, so patterns such as `^(a+)+$` cannot
 * blow up. Backreferences and lookaround are not supported. Returns the reason as text when the
 * pattern is rejected.
 */
export function compileSafePattern(pattern: string): SafePattern | string {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `regular expression too long (${pattern.length} characters, at most ${MAX_PATTERN_LENGTH})`;
  }
  try {
    const re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    return { test: (value) => re.test(value) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `invalid regular expression (RE2 syntax: no backreferences or lookaround): ${reason}`;
  }
}
