const safe = Symbol('SafeHtml');

/** Markup that is already escaped: the only thing `html` interpolates without escaping. */
export interface SafeHtml {
  readonly [safe]: true;
  readonly value: string;
}

/** What may be interpolated into `html`: text is escaped, lists are joined, nothing else passes. */
export type HtmlValue =
  | SafeHtml
  | string
  | number
  | null
  | undefined
  | false
  | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an HTML element body or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

/** Marks a string as markup. Only for strings this code built (never user input). */
export function raw(markup: string): SafeHtml {
  return { [safe]: true, value: markup };
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return escapeHtml(String(value));
  if (Array.isArray(value)) return value.map((v: HtmlValue) => render(v)).join('');
  return (value as SafeHtml).value;
}

/**
 * The template tag of every page: interpolated values are escaped unless they are `SafeHtml`
 * made by another `html` call, so a page cannot forget to escape.
 *
 * @example
 * ```ts
 * const row = html`<td>${track.name}</td>`; // "<b>" in a name shows as text
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++)
    out += render(values[i] as HtmlValue) + (strings[i + 1] ?? '');
  return raw(out);
}
