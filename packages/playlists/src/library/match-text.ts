import { normalizeText } from '@spoti/catalog';

const NOT_ALNUM = /[^a-z0-9]+/g;

/**
 * The catalog's `normalizeText`, with a fast path for ASCII (most names): there NFKD, mark
 * removal and the letter folds change nothing, so lower-casing and collapsing every run of
 * characters other than `a-z0-9` into one space gives the same result without compiling or
 * running the Unicode-property expressions (which dominate the first evaluation of a rule).
 */
export function matchText(text: string): string {
  for (let k = 0; k < text.length; k++) {
    if (text.charCodeAt(k) >= 0x80) return normalizeText(text);
  }
  return text.toLowerCase().replace(NOT_ALNUM, ' ').trim();
}
