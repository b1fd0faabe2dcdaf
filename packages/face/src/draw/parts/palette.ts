/**
 * Skin colours of tones 0..5 (lightest to deepest). A tone's number is its Notion index: `tone-2`
 * is `s2` in a face string and `{ pins: { s: 2 } }`.
 *
 * @example
 * ```ts
 * SKIN_TONES['tone-2']; // '#ebc09c'
 * ```
 */
export const SKIN_TONES: Readonly<Record<string, string>> = {
  'tone-0': '#fdeee4',
  'tone-1': '#f7dcc6',
  'tone-2': '#ebc09c',
  'tone-3': '#cf9a6e',
  'tone-4': '#a06a45',
  'tone-5': '#6e4730',
};

/**
 * Soft background colour for each hair style (so each genre family has its own colour).
 *
 * @example
 * ```ts
 * BACKGROUNDS.spiky; // '#d3e3ff'
 * ```
 */
export const BACKGROUNDS: Readonly<Record<string, string>> = {
  crop: '#ececec',
  'neat-part': '#e3efd6',
  slick: '#f3e6d0',
  wild: '#ffd9cc',
  spiky: '#d3e3ff',
  long: '#e4ddf6',
  mohawk: '#ffd6e6',
  curly: '#ffe2c4',
  afro: '#fff0b5',
  locs: '#d6f1e1',
  bob: '#fde0ee',
  bun: '#d9eff4',
};
