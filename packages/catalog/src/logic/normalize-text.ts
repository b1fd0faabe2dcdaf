/**
 * Normalises text for matching: Unicode NFKD, diacritics removed, lower case, every run of
 * non-letters/digits collapsed to one space, trimmed. `"Beyoncé – Halo!"` -> `"beyonce halo"`.
 * The same function feeds the stored search column, so every backend matches identically.
 *
 * @example
 * ```ts
 * normalizeText('Beyoncé – Halo!'); // 'beyonce halo'
 * ```
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[æÆ]/g, 'ae')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
