import type { StyleCreateProps } from '@dicebear/core';
import * as notionists from '@dicebear/notionists';
import { DEFAULT_CATALOGUE, NOTIONISTS_BODY_BY_HAIR, NOTIONISTS_PARTS } from '../catalogue.js';
import { FaceError } from '../errors/face-error.js';
import type { FaceMapper } from '../mapper.js';
import { PARAM_KEYS } from '../params.js';
import type { NotionistsArt } from './notionists-svg.js';

/** Options of {@link notionistsArt}. */
export interface NotionistsArtOptions {
  /**
   * Whose catalogue decides which components to keep (default: the built-in catalogue). The
   * head (`base` `variant01`) and the outfits of {@link NOTIONISTS_BODY_BY_HAIR} are always kept.
   */
  readonly mapper?: FaceMapper;
  /** Keep every component of the style instead (about 115 KB gzipped instead of 70 KB). */
  readonly all?: boolean;
}

type Components = Record<string, string[]>;

const props = (options: Record<string, unknown>): StyleCreateProps<notionists.Options> =>
  ({
    // DiceBear's own seeded PRNG: every option below has one value, so it decides nothing.
    prng: {
      seed: '',
      next: () => undefined,
      bool: (likelihood = 50) => likelihood >= 100,
      integer: (min: number) => min,
      pick: <T>(arr: T[], fallback?: T) => arr[0] ?? fallback,
      shuffle: <T>(arr: T[]) => arr,
      string: () => '',
    },
    options,
  }) as StyleCreateProps<notionists.Options>;

/** The components to keep, per DiceBear option name. */
function wanted(options: NotionistsArtOptions): Components {
  const schema = notionists.schema.properties as Record<string, { items?: { enum?: string[] } }>;
  if (options.all === true) {
    return Object.fromEntries(
      Object.entries(schema)
        .filter(([, p]) => p.items?.enum !== undefined)
        .map(([name, p]) => [name, [...(p.items?.enum ?? [])]]),
    );
  }
  const keep: Record<string, Set<string>> = {
    base: new Set(['variant01']),
    body: new Set(Object.values(NOTIONISTS_BODY_BY_HAIR)),
  };
  for (const key of PARAM_KEYS) {
    const part = NOTIONISTS_PARTS[key];
    if (part === 'skin') continue;
    const catalogue = options.mapper?.catalogue[key] ?? DEFAULT_CATALOGUE[key];
    keep[part] ??= new Set();
    for (const option of catalogue)
      for (const name of option.notionists ?? []) keep[part].add(name);
  }
  return Object.fromEntries(Object.entries(keep).map(([part, names]) => [part, [...names]]));
}

/**
 * The groups the style paints, in order, found by drawing each part alone: the part whose
 * component lands in a group owns it. Every other component of that part lands in the same place,
 * so its SVG is the text inserted there.
 */
function slotsOf(every: Components): {
  slots: { part: string; open: string }[];
  cut: (part: string, name: string) => string;
} {
  const empty = notionists.create(props({})).body;
  const opens = [...empty.matchAll(/<g transform="[^"]*">/g)].map((m) => ({
    open: m[0],
    end: (m.index ?? 0) + m[0].length,
  }));
  const slots = opens.map((o) => ({ part: '', open: o.open }));
  const draw = (part: string, name: string) =>
    notionists.create(props({ [part]: [name], [`${part}Probability`]: 100 })).body;
  const slotIndex = (body: string): number => {
    let same = 0;
    while (same < empty.length && body[same] === empty[same]) same++;
    return opens.findLastIndex((o) => o.end <= same);
  };
  for (const [part, names] of Object.entries(every)) {
    const first = names[0];
    if (first === undefined) continue;
    const at = slotIndex(draw(part, first));
    const slot = slots[at];
    if (slot === undefined) throw new Error(`Notionists ${part} is drawn in no group`);
    slot.part = part;
  }
  const cut = (part: string, name: string): string => {
    const body = draw(part, name);
    const at = slots.findIndex((s) => s.part === part);
    const end = opens[at]?.end ?? 0;
    return body.slice(end, end + body.length - empty.length);
  };
  return { slots, cut };
}

/**
 * The DiceBear Notionists artwork as {@link NotionistsArt} data for `notionistsSvg`: by default
 * only the components the catalogue can select (about 70 KB gzipped as JSON), so a browser draws
 * the same SVG as `toNotionistsSvg` without the whole style. Deterministic: the same installed
 * `@dicebear/notionists` and catalogue give the same data.
 *
 * @throws FaceError `UNKNOWN_PART` when the catalogue names a component the style does not have.
 * @example
 * ```ts
 * import { notionistsArt } from '@spoti/face/notionists';
 * await writeFile('public/face-art.json', JSON.stringify(notionistsArt()));
 * ```
 */
export function notionistsArt(options: NotionistsArtOptions = {}): NotionistsArt {
  const parts = wanted(options);
  const schema = notionists.schema.properties as Record<string, { items?: { enum?: string[] } }>;
  for (const [part, names] of Object.entries(parts)) {
    const known = schema[part]?.items?.enum ?? [];
    const missing = names.find((n) => !known.includes(n));
    if (missing !== undefined) {
      throw new FaceError({
        code: 'UNKNOWN_PART',
        message: `The catalogue names Notionists ${part} "${missing}", which @dicebear/notionists does not have`,
      });
    }
  }
  // bodyIcon is drawn inside the outfit, never on its own: outfits are kept without one.
  delete parts.bodyIcon;
  const every = wanted({ all: true });
  delete every.bodyIcon;
  const { slots, cut } = slotsOf(every);
  const data: Record<string, Record<string, string>> = {};
  for (const [part, names] of Object.entries(parts)) {
    data[part] = Object.fromEntries(names.map((name) => [name, cut(part, name)]));
  }
  const attributes = notionists.create(props({})).attributes;
  const meta = JSON.parse(JSON.stringify(notionists.meta)) as NotionistsArt['meta'];
  return { meta, attributes, slots, parts: data };
}
