import { RE2JS } from 're2js';

/** The longest `matches` pattern accepted, in UTF-16 code units. */
export const MAX_PATTERN_LENGTH = 1000;

/** A compiled `matches` pattern: tests any part of a value, in time linear in the value's length. */
export interface SafePattern {
  test(value: string): boolean;
}

/** Distinct values whose answer a pattern remembers (names repeat across tracks and evaluations). */
const MEMO_SIZE = 50_000;

/**
 * Compiles a `matches` pattern with RE2 semantics (case-insensitive, Unicode), which guarantees
 * matching in time linear in the input: no backtracking, so patterns such as `^(a+)+$` cannot
 * blow up. Backreferences and lookaround are not supported. Answers are memoised per distinct
 * value (at most 50,000 at a time), so a rule evaluated again, or over tracks sharing a name,
 * tests each name once. Returns the reason as text when the pattern is rejected.
 */
export function compileSafePattern(pattern: string): SafePattern | string {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `regular expression too long (${pattern.length} characters, at most ${MAX_PATTERN_LENGTH})`;
  }
  try {
    const re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    const memo = new Map<string, boolean>();
    return {
      test: (value) => {
        let hit = memo.get(value);
        if (hit === undefined) {
          hit = re.test(value);
          if (memo.size >= MEMO_SIZE) memo.clear();
          memo.set(value, hit);
        }
        return hit;
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `invalid regular expression (RE2 syntax: no backreferences or lookaround): ${reason}`;
  }
}
