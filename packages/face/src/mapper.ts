import { z } from 'zod';
import { findOption } from './catalogue.js';
import type { Face, FaceInput, FaceParam } from './face.js';
import { parseOptions } from './internal/parse-options.js';
import { type CataloguePart, setUpMapper } from './mapper/core.js';
import { faceFromIndices, mapProfile, varyWith } from './mapper/map-profile.js';
import { renderWithTarget } from './mapper/plugin-results.js';
import {
  DEFAULT_HYSTERESIS,
  DEFAULT_MAPPING,
  MAPPING_VERSION,
  type ParamMappingDefinition,
} from './mapping/default-mapping.js';
import { PARAM_KEYS, type ParamKey } from './params.js';
import type { FaceOverlay, FacePlugin } from './plugins.js';
import type { FaceProfile } from './profile-input.js';
import { type FaceRanges, type FaceRangesOverride, faceRangesSchema } from './ranges.js';

/**
 * A pin: a Notion index (the number after the letter in a face string: `{ s: 3 }` is `s3`), or a
 * meaning tag from the catalogue (`{ skin: 'tone-3' }`). Skin tones are numbered like their
 * Notion indices, 0 (lightest) to 5 (deepest), so `{ s: 3 }`, `{ skin: 'tone-3' }`, `s3` in a
 * face string and `spoti face --pin s=3` are the same tone.
 */
export type FacePinValue = number | string;

/**
 * Pins keyed by letter (`s`) or name (`skin`); see {@link FacePinValue} for the numbering.
 *
 * @example
 * ```ts
 * const pins: FacePins = { skin: 'tone-3', e: 4 }; // skin s3, eyes e4
 * ```
 */
export type FacePins = Readonly<Partial<Record<string, FacePinValue>>>;

/** Options of {@link createFaceMapper}. */
export interface FaceMapperOptions {
  /** Plugins, applied in `enforce`/`priority` order. */
  readonly plugins?: readonly FacePlugin[];
  /** Overrides of the valid Notion index ranges. */
  readonly ranges?: FaceRangesOverride;
  /** Hysteresis margin on the 0..1 input scale (default 0.04). */
  readonly hysteresis?: number;
}

/** Options of one mapping call. */
export interface MapFaceOptions {
  /** Parameters the listener fixed; they always win over the mapping and plugins. */
  readonly pins?: FacePins;
  /** The listener's previous face, for hysteresis at band edges. */
  readonly previous?: Face;
}

export type { CataloguePart };

/** One change between two faces, from {@link compareFaces}. */
export interface FaceChange {
  /** Key of the parameter that changed. */
  readonly key: ParamKey;
  /** Readable name of the parameter that changed. */
  readonly name: string;
  /** The earlier face's index and tag. */
  readonly from: { readonly value: number; readonly tag: string };
  /** The later face's index and tag. */
  readonly to: { readonly value: number; readonly tag: string };
  /** `changed` meaning (tag) or only the `variant`. */
  readonly kind: 'tag' | 'variant';
  /** One sentence: what changed and why. */
  readonly why: string;
  /** Inputs that moved, with before/after values. */
  readonly inputs: readonly {
    /** Name of the input (a profile field). */
    readonly name: string;
    /** The input's value in the earlier profile. */
    readonly from: FaceInput['value'];
    /** The input's value in the later profile. */
    readonly to: FaceInput['value'];
  }[];
}

/** A configured mapper: the default mapping plus plugins, ranges and the merged catalogue. */
export interface FaceMapper {
  /** Version of the default mapping this mapper applies. */
  readonly mappingVersion: number;
  /** Plugins in the order they run. */
  readonly plugins: readonly FacePlugin[];
  /** Valid Notion Faces indices per parameter. */
  readonly ranges: FaceRanges;
  /** The parts catalogue with the plugins' parts merged in, by parameter. */
  readonly catalogue: Readonly<Record<ParamKey, readonly CataloguePart[]>>;
  /** The default rule of each parameter, with its documentation table. */
  readonly definitions: Readonly<Record<ParamKey, ParamMappingDefinition>>;
  /** Overlays added by plugins, in plugin order. */
  readonly overlays: readonly (FaceOverlay & { readonly plugin: string })[];
  /** Maps a profile to an explained face. */
  map(profile: FaceProfile, options?: MapFaceOptions): Face;
  /** A different face of the same family: same meaning tags, other variants; pins kept. */
  vary(face: Face, seed: number | string): Face;
  /** Renders a face with a plugin-added target. */
  renderTarget(face: Face, target: string, profile?: FaceProfile): string | Uint8Array;
  /** Builds a face from raw Notion indices (e.g. a parsed URL), tagging each from the catalogue. */
  fromParams(params: Readonly<Record<ParamKey, number>>): Face;
}

const mapperOptionsSchema = z.object({
  plugins: z
    .array(
      z.custom<FacePlugin>(
        (p) =>
          typeof p === 'object' &&
          p !== null &&
          (p as { kind?: unknown }).kind === 'spoti-face-plugin',
        { message: 'plugins must be made with defineFacePlugin()' },
      ),
    )
    .optional(),
  ranges: faceRangesSchema.optional(),
  hysteresis: z.number().min(0).max(0.25).optional(),
});

/**
 * Creates a face mapper: the default mapping with plugins applied in order, validated ranges and
 * the catalogue merged with plugin parts. Plugins are validated here (clashing parts, indices
 * out of range) and their results on every call (a bad result throws PLUGIN_RESULT_INVALID
 * naming the plugin).
 *
 * @example
 * ```ts
 * const mapper = createFaceMapper();
 * const face = mapper.map(profile, { pins: { s: 3 } });
 * console.log(toFaceString(face), face.params.m.reason);
 * ```
 */
export function createFaceMapper(options: FaceMapperOptions = {}): FaceMapper {
  parseOptions(mapperOptionsSchema, options, 'face mapper options');
  const core = setUpMapper({
    ...options,
    hysteresis: options.hysteresis ?? DEFAULT_HYSTERESIS,
  });
  return Object.freeze({
    mappingVersion: MAPPING_VERSION,
    plugins: core.plugins,
    ranges: core.ranges,
    catalogue: core.catalogue,
    definitions: DEFAULT_MAPPING,
    overlays: core.overlays,
    map: (profile: FaceProfile, mapOptions?: MapFaceOptions) =>
      mapProfile(core, profile, mapOptions),
    vary: (face: Face, seed: number | string) => varyWith(core, face, seed),
    renderTarget: (face: Face, target: string, profile?: FaceProfile) =>
      renderWithTarget(core, face, target, profile),
    fromParams: (raw: Readonly<Record<ParamKey, number>>) => faceFromIndices(core, raw),
  });
}

let defaultMapper: FaceMapper | undefined;

/** The shared mapper without plugins. */
function getDefaultMapper(): FaceMapper {
  defaultMapper ??= createFaceMapper();
  return defaultMapper;
}

/**
 * Maps a profile to an explained face with the default mapping (no plugins).
 *
 * @example
 * ```ts
 * const face = mapFace(profile, { pins: { skin: 'tone-3' } });
 * for (const p of Object.values(face.params)) console.log(p.name, p.tag, p.reason);
 * ```
 */
export function mapFace(profile: FaceProfile, options?: MapFaceOptions): Face {
  return getDefaultMapper().map(profile, options);
}

/**
 * A different face in the same family: every unpinned parameter keeps its meaning tag and moves
 * to another variant, chosen by `seed` (the same seed always gives the same face).
 *
 * @example
 * ```ts
 * const again = varyFace(face, 'regenerate-1');
 * ```
 */
export function varyFace(face: Face, seed: number | string): Face {
  return getDefaultMapper().vary(face, seed);
}

/**
 * Builds a face from the eight raw indices (e.g. from {@link parseNotionFaceUrl}).
 *
 * @example
 * ```ts
 * const face = faceFromParams(parseNotionFaceUrl('https://faces.notion.com/?face=s1e10m18n61h212a8y0b44'));
 * ```
 */
export function faceFromParams(params: Readonly<Record<ParamKey, number>>): Face {
  return getDefaultMapper().fromParams(params);
}

function describeInputs(a: FaceParam, b: FaceParam): FaceChange['inputs'] {
  const out: { name: string; from: FaceInput['value']; to: FaceInput['value'] }[] = [];
  for (const input of b.inputs) {
    const before = a.inputs.find((i) => i.name === input.name);
    if (before === undefined || before.value !== input.value)
      out.push({ name: input.name, from: before?.value ?? null, to: input.value });
  }
  return out;
}

const fmt = (v: FaceInput['value']): string =>
  typeof v === 'number' ? `${Math.round(v * 100)}%` : v === null ? 'none' : v;

/**
 * Says what changed between two faces (for example two periods) and why.
 *
 * @example
 * ```ts
 * for (const c of compareFaces(lastYear, thisYear)) console.log(c.why);
 * ```
 */
export function compareFaces(a: Face, b: Face): FaceChange[] {
  const changes: FaceChange[] = [];
  for (const key of PARAM_KEYS) {
    const x = a.params[key];
    const y = b.params[key];
    if (x.value === y.value && x.tag === y.tag) continue;
    const inputs = describeInputs(x, y);
    const moved = inputs
      .filter((i) => i.name !== 'pin')
      .map((i) => `${i.name.replace(/^signals\./, '')} ${fmt(i.from)} -> ${fmt(i.to)}`)
      .join(', ');
    const kind = x.tag === y.tag ? 'variant' : 'tag';
    const why =
      kind === 'variant'
        ? `Your ${y.name} changed style but kept its meaning ("${y.tag}").`
        : `Your ${y.name} went from "${x.tag}" to "${y.tag}"${moved === '' ? '' : ` because ${moved}`}: ${y.reason}`;
    changes.push({
      key,
      name: y.name,
      from: { value: x.value, tag: x.tag },
      to: { value: y.value, tag: y.tag },
      kind,
      why,
      inputs,
    });
  }
  return changes;
}

export { findOption };
