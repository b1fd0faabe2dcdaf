import type { RuleIssue } from '../errors/playlists-error.js';

/** Where a mistake sits in a rule: keys and list positions from the top. */
export type Path = readonly (string | number)[];

/** Formats a path the way issues show it: `all[2].inTheLast`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Issues listed in full; beyond them a rule's mistakes are only counted. */
const MAX_ISSUES = 100;

/** The mistakes found while reading a rule. */
export class Issues {
  readonly #list: RuleIssue[] = [];
  #more = 0;
  add(path: Path, message: string): void {
    if (this.#list.length < MAX_ISSUES) this.#list.push({ path: formatPath(path), message });
    else this.#more += 1;
  }
  /** The issues found: the first {@link MAX_ISSUES}, then one saying how many more there were. */
  get list(): RuleIssue[] {
    return this.#more === 0
      ? this.#list
      : [...this.#list, { path: '', message: `${this.#more} more issues not listed` }];
  }
}

/** True for a plain object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
