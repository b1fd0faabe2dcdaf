/** A decoded form value: text, or nested objects and arrays of them. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

/**
 * Decodes an `application/x-www-form-urlencoded` body the way Stripe's API reads it: bracketed
 * keys nest (`metadata[user]=u1`, `line_items[0][price]=price_1`); numeric segments make arrays.
 */
export function decodeForm(text: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const head = /^[^[]+/.exec(rawKey)?.[0];
    if (head === undefined) continue;
    const path = [
      head,
      ...[...rawKey.slice(head.length).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? ''),
    ];
    let node: Record<string, FormValue> | FormValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] ?? '';
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1] ?? '');
      const key: string | number = Array.isArray(node)
        ? segment === ''
          ? node.length
          : Number(segment)
        : segment;
      const container = node as Record<string | number, FormValue>;
      if (last) {
        container[key] = value;
      } else {
        container[key] ??= nextIsIndex ? [] : {};
        node = container[key] as Record<string, FormValue> | FormValue[];
      }
    }
  }
  return root;
}

/** The text of a form value, or `undefined` when it is absent or nested. */
export const formText = (v: FormValue | undefined): string | undefined =>
  typeof v === 'string' ? v : undefined;

/** A nested form value as a string record (like `metadata[...]`); anything else is `{}`. */
export const formRecord = (v: FormValue | undefined): Record<string, string> => {
  if (v === undefined || typeof v === 'string' || Array.isArray(v)) return {};
  return Object.fromEntries(
    Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
};

/** A nested form value as an object (like `subscription_data[...]`); anything else is `{}`. */
export const formObject = (v: FormValue | undefined): { [key: string]: FormValue } =>
  typeof v === 'object' && !Array.isArray(v) ? v : {};
