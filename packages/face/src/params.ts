/**
 * The eight Notion Faces parameters, in the order faces.notion.com writes them:
 * `s` skin, `e` eyes, `m` mouth, `n` nose, `h` hair, `a` accessories, `y` glasses, `b` eyebrows.
 *
 * @example
 * ```ts
 * for (const key of PARAM_KEYS) console.log(key, face.params[key].tag);
 * ```
 */
export const PARAM_KEYS = ['s', 'e', 'm', 'n', 'h', 'a', 'y', 'b'] as const;

/** One of the eight Notion Faces parameter letters. */
export type ParamKey = (typeof PARAM_KEYS)[number];

/**
 * Readable names of the parameters, keyed by letter.
 *
 * @example
 * ```ts
 * PARAM_NAMES.y; // 'glasses'
 * ```
 */
export const PARAM_NAMES = {
  s: 'skin',
  e: 'eyes',
  m: 'mouth',
  n: 'nose',
  h: 'hair',
  a: 'accessories',
  y: 'glasses',
  b: 'eyebrows',
} as const satisfies Record<ParamKey, string>;

/** A readable parameter name (`skin`, `eyes`, ...). */
export type ParamName = (typeof PARAM_NAMES)[ParamKey];

/**
 * True when `value` is one of the eight parameter letters.
 *
 * @example
 * ```ts
 * isParamKey('h'); // true
 * ```
 */
export function isParamKey(value: string): value is ParamKey {
  return (PARAM_KEYS as readonly string[]).includes(value);
}

/**
 * Accepts a letter (`h`) or a name (`hair`) and returns the letter, or null.
 *
 * @example
 * ```ts
 * toParamKey('hair'); // 'h'
 * ```
 */
export function toParamKey(value: string): ParamKey | null {
  if (isParamKey(value)) return value;
  for (const key of PARAM_KEYS) if (PARAM_NAMES[key] === value) return key;
  return null;
}
