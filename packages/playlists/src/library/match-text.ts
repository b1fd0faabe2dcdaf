import { normalizeText } from '@spoti/catalog';

/**
 * The catalog's `normalizeText`, with a fast path for ASCII (most names): there NFKD,
 * mark removal and the letter folds change nothing, so lower-casing and collapsing every run of
 * characters other than `a-z0-9` into one space gives the same result without compiling or
 * running the Unicode-property expressions (which dominate the first evaluation of a rule).
 */
export function matchText(text: string): string {
  let out = '';
  let gap = false;
  for (let k = 0; k < text.length; k++) {
    let c = text.charCodeAt(k);
    if (c >= 0x80) return normalizeText(text);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (gap && out !== '') out += ' ';
      gap = false;
      out += String.fromCharCode(c);
    } else gap = true;
  }
  return out;
}
