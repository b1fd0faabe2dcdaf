import { z } from 'zod';
import {
  DEFAULT_CATALOGUE,
  type PartOption,
  type PartsCatalogue,
  findOption,
  lookupIndex,
} from './catalogue.js';
import { FaceError, isFaceError } from './errors/face-error.js';
import type { Face, FaceExtra, FaceInput, FaceParam, FaceParamSource } from './face.js';
import { mulberry32, hashString } from './internal/prng.js';
import {
  DEFAULT_HYSTERESIS,
  DEFAULT_MAPPING,
  MAPPING_VERSION,
  type ParamMappingDefinition,
} from './mapping/default-mapping.js';
import { PARAM_KEYS, PARAM_NAMES, type ParamKey, toParamKey } from './params.js';
import {
  type FaceOverlay,
  type FacePlugin,
  type FaceTarget,
  type PluginPart,
  orderPlugins,
} from './plugins.js';
import { type FaceProfile, assertFaceProfile } from './profile-input.js';
import {
  type FaceRanges,
  type FaceRangesOverride,
  assertInRange,
  faceRangesSchema,
  resolveRanges,
} from './ranges.js';
import { parseOptions } from './internal/parse-options.js';

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

/** A part in the mapper's catalogue: built-in or added by a plugin. */
export interface CataloguePart extends PartOption {
  /** The plugin that added the part, or null for built-ins. */
  readonly plugin: string | null;
  /** Drawing of plugin parts; built-ins are drawn by the package. */
  readonly draw: PluginPart['draw'] | null;
}

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

const pinsSchema = z.record(z.string(), z.union([z.number(), z.string()]));

function buildCatalogue(
  plugins: readonly FacePlugin[],
  ranges: FaceRanges,
): Record<ParamKey, CataloguePart[]> {
  const out = {} as Record<ParamKey, CataloguePart[]>;
  for (const key of PARAM_KEYS)
    out[key] = DEFAULT_CATALOGUE[key].map((o) => ({ ...o, plugin: null, draw: null }));
  for (const plugin of plugins) {
    for (const key of PARAM_KEYS) {
      for (const part of plugin.parts?.[key] ?? []) {
        const clash = out[key].find((o) => o.tag === part.tag);
        if (clash !== undefined)
          throw new FaceError({
            code: 'INVALID_PLUGIN',
            plugin: plugin.name,
            message: `Plugin "${plugin.name}" adds ${PARAM_NAMES[key]} part "${part.tag}", which ${clash.plugin === null ? 'is built in' : `plugin "${clash.plugin}" already added`}`,
          });
        for (const index of part.notion) {
          assertInRange(
            key,
            index,
            ranges,
            `Plugin "${plugin.name}" part "${part.tag}"`,
            plugin.name,
          );
          const used = out[key].find((o) => o.notion.includes(index));
          if (used !== undefined)
            throw new FaceError({
              code: 'INVALID_PLUGIN',
              plugin: plugin.name,
              message: `Plugin "${plugin.name}" part "${part.tag}" uses ${PARAM_NAMES[key]} index ${index}, already used by "${used.tag}"`,
            });
        }
        out[key].push({
          tag: part.tag,
          description: part.description,
          notion: part.notion,
          render: `${plugin.name}:${PARAM_NAMES[key]}/${part.tag}`,
          notionists: part.notionists ?? null,
          plugin: plugin.name,
          draw: part.draw,
        });
      }
    }
  }
  return out;
}

function minConfidence(inputs: readonly FaceInput[]): number {
  return inputs.length === 0 ? 1 : Math.min(...inputs.map((i) => i.confidence));
}

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
  const ranges = resolveRanges(options.ranges);
  const plugins = orderPlugins(options.plugins ?? []);
  const names = new Set<string>();
  for (const p of plugins) {
    if (names.has(p.name))
      throw new FaceError({
        code: 'INVALID_PLUGIN',
        plugin: p.name,
        message: `Plugin "${p.name}" is registered twice`,
      });
    names.add(p.name);
  }
  const hysteresis = options.hysteresis ?? DEFAULT_HYSTERESIS;
  const catalogue = buildCatalogue(plugins, ranges);
  for (const key of PARAM_KEYS)
    for (const part of catalogue[key])
      if (part.plugin === null)
        for (const index of part.notion)
          assertInRange(key, index, ranges, `Built-in part "${part.tag}" under the given ranges`);
  const targets = new Map<string, { plugin: string; target: FaceTarget }>();
  for (const p of plugins)
    for (const [name, target] of Object.entries(p.targets ?? {})) {
      if (targets.has(name))
        throw new FaceError({
          code: 'INVALID_PLUGIN',
          plugin: p.name,
          message: `Plugin "${p.name}" adds target "${name}", already added by "${targets.get(name)!.plugin}"`,
        });
      targets.set(name, { plugin: p.name, target });
    }
  const overlays = plugins.flatMap((p) =>
    (p.overlays ?? []).map((o) => ({ ...o, plugin: p.name })),
  );

  const option = (key: ParamKey, tag: string): CataloguePart | undefined =>
    catalogue[key].find((o) => o.tag === tag);

  function makeParam(
    key: ParamKey,
    tag: string,
    variant: number,
    reason: string,
    inputs: readonly FaceInput[],
    source: FaceParamSource,
    plugin: string | null,
  ): FaceParam {
    const opt = option(key, tag)!;
    const v = Math.min(Math.max(0, variant), opt.notion.length - 1);
    return {
      key,
      name: PARAM_NAMES[key],
      value: opt.notion[v]!,
      tag,
      variant: v,
      reason,
      inputs,
      confidence: source === 'pin' ? 1 : minConfidence(inputs),
      source,
      plugin,
    };
  }

  function fromIndex(
    key: ParamKey,
    index: number,
  ): { tag: string; variant: number; exact: boolean } {
    const found = lookupIndex(catalogue as PartsCatalogue, key, index);
    if (found !== null) return { tag: found.option.tag, variant: found.variant, exact: true };
    // Indices outside the catalogue still render: a stable stand-in from the same parameter.
    const opts = catalogue[key];
    const opt = opts[index % opts.length]!;
    return {
      tag: opt.tag,
      variant: Math.floor(index / opts.length) % opt.notion.length,
      exact: false,
    };
  }

  function withValue(p: FaceParam, value: number): FaceParam {
    return { ...p, value };
  }

  /** One reason for every kind of pin: the tag and the number it has in the face string. */
  function pinned(p: FaceParam): FaceParam {
    return {
      ...p,
      reason: `You pinned your ${PARAM_NAMES[p.key]} to ${p.tag} (${p.key}${p.value} in the face string).`,
    };
  }

  function resolvePin(key: ParamKey, pin: FacePinValue): FaceParam {
    const name = PARAM_NAMES[key];
    const inputs = [{ name: 'pin', value: pin, source: 'pin' as const, confidence: 1 }];
    if (typeof pin === 'number') {
      assertInRange(key, pin, ranges, 'Pin');
      const r = fromIndex(key, pin);
      const p = makeParam(key, r.tag, r.variant, '', inputs, 'pin', null);
      return pinned(r.exact ? p : withValue(p, pin));
    }
    if (option(key, pin) === undefined)
      throw new FaceError({
        code: 'UNKNOWN_PART',
        message: `Pin: ${name} has no part "${pin}" (known: ${catalogue[key].map((o) => o.tag).join(', ')})`,
      });
    return pinned(makeParam(key, pin, 0, '', inputs, 'pin', null));
  }

  function parsePins(pins: FacePins | undefined): Partial<Record<ParamKey, FacePinValue>> {
    if (pins === undefined) return {};
    const checked = pinsSchema.safeParse(pins);
    if (!checked.success)
      throw new FaceError({
        code: 'INVALID_OPTIONS',
        message: 'Pins must map a parameter letter or name to an index or a tag',
        cause: checked.error,
      });
    const out: Partial<Record<ParamKey, FacePinValue>> = {};
    for (const [k, v] of Object.entries(checked.data)) {
      const key = toParamKey(k);
      if (key === null)
        throw new FaceError({
          code: 'INVALID_OPTIONS',
          message: `Unknown pinned parameter "${k}" (use one of ${PARAM_KEYS.join(', ')} or their names)`,
        });
      out[key] = v;
    }
    return out;
  }

  function applyPlugin(
    plugin: FacePlugin,
    key: ParamKey,
    params: Record<ParamKey, FaceParam>,
    profile: FaceProfile,
  ): void {
    const mapping = plugin.mappings?.[key];
    if (mapping === undefined) return;
    let result: ReturnType<typeof mapping>;
    try {
      result = mapping({ profile, current: params[key], params });
    } catch (cause) {
      if (isFaceError(cause)) throw cause;
      throw new FaceError({
        code: 'PLUGIN_FAILED',
        plugin: plugin.name,
        message: `Plugin "${plugin.name}" failed while mapping ${PARAM_NAMES[key]}`,
        cause,
      });
    }
    if (result === undefined) return;
    const where = `Plugin "${plugin.name}" mapping of ${PARAM_NAMES[key]}`;
    const bad = (message: string): FaceError =>
      new FaceError({
        code: 'PLUGIN_RESULT_INVALID',
        plugin: plugin.name,
        message: `${where}: ${message}`,
      });
    if (typeof result !== 'object' || result === null)
      throw bad('must return an object or undefined');
    if (typeof result.reason !== 'string' || result.reason.trim() === '')
      throw bad('must give a reason');
    const inputs = result.inputs ?? params[key].inputs;
    if (result.tag !== undefined) {
      const opt = option(key, result.tag);
      if (opt === undefined)
        throw bad(
          `unknown part "${result.tag}" (known: ${catalogue[key].map((o) => o.tag).join(', ')})`,
        );
      const variant = result.variant ?? 0;
      if (!Number.isInteger(variant) || variant < 0 || variant >= opt.notion.length)
        throw bad(`variant ${variant} is out of range 0..${opt.notion.length - 1}`);
      params[key] = makeParam(
        key,
        result.tag,
        variant,
        result.reason,
        inputs,
        'plugin',
        plugin.name,
      );
      return;
    }
    if (result.value !== undefined) {
      assertInRange(key, result.value, ranges, where, plugin.name);
      const r = fromIndex(key, result.value);
      const p = makeParam(key, r.tag, r.variant, result.reason, inputs, 'plugin', plugin.name);
      params[key] = r.exact ? p : withValue(p, result.value);
      return;
    }
    throw bad('must return a tag or a value');
  }

  function map(profile: FaceProfile, mapOptions: MapFaceOptions = {}): Face {
    assertFaceProfile(profile);
    const pins = parsePins(mapOptions.pins);
    // A face from another mapping version may use tags differently: no hysteresis against it.
    const previous =
      mapOptions.previous?.mappingVersion === MAPPING_VERSION ? mapOptions.previous : undefined;
    const params = {} as Record<ParamKey, FaceParam>;
    for (const key of PARAM_KEYS) {
      const choice = DEFAULT_MAPPING[key].map({
        profile,
        previousTag: previous?.params[key]?.tag,
        hysteresis,
      });
      // Keep the previous variant when the meaning did not change, so a regenerated face is stable.
      const prev = previous?.params[key];
      const variant =
        prev !== undefined && prev.tag === choice.tag && prev.source !== 'pin' ? prev.variant : 0;
      params[key] = makeParam(
        key,
        choice.tag,
        variant,
        choice.reason,
        choice.inputs,
        'mapping',
        null,
      );
    }
    for (const plugin of plugins)
      for (const key of PARAM_KEYS) applyPlugin(plugin, key, params, profile);
    const extras: Record<string, FaceExtra> = {};
    for (const plugin of plugins)
      for (const [name, extra] of Object.entries(plugin.extras ?? {})) {
        let r: ReturnType<typeof extra>;
        try {
          r = extra({ profile, params });
        } catch (cause) {
          throw new FaceError({
            code: 'PLUGIN_FAILED',
            plugin: plugin.name,
            message: `Plugin "${plugin.name}" failed while computing extra "${name}"`,
            cause,
          });
        }
        if (r === undefined) continue;
        if (
          (typeof r.value !== 'string' && typeof r.value !== 'number') ||
          typeof r.reason !== 'string'
        )
          throw new FaceError({
            code: 'PLUGIN_RESULT_INVALID',
            plugin: plugin.name,
            message: `Plugin "${plugin.name}" extra "${name}" must return { value: string | number, reason: string }`,
          });
        extras[name] = { value: r.value, reason: r.reason, plugin: plugin.name };
      }
    for (const key of PARAM_KEYS) {
      const pin = pins[key];
      if (pin !== undefined) params[key] = resolvePin(key, pin);
    }
    return {
      mappingVersion: MAPPING_VERSION,
      plugins: plugins.map((p) => `${p.name}@${p.version}`),
      period: profile.period.label,
      params,
      extras,
    };
  }

  function vary(face: Face, seed: number | string): Face {
    const random = mulberry32(typeof seed === 'number' ? seed : hashString(seed));
    const params = {} as Record<ParamKey, FaceParam>;
    for (const key of PARAM_KEYS) {
      const p = face.params[key];
      const opt = option(key, p.tag);
      const r = random();
      if (p.source === 'pin' || opt === undefined || opt.notion.length < 2) {
        params[key] = p;
        continue;
      }
      const step = 1 + Math.floor(r * (opt.notion.length - 1));
      const variant = (p.variant + step) % opt.notion.length;
      params[key] = { ...p, variant, value: opt.notion[variant]! };
    }
    return { ...face, params };
  }

  function renderTarget(face: Face, target: string, profile?: FaceProfile): string | Uint8Array {
    const t = targets.get(target);
    if (t === undefined)
      throw new FaceError({
        code: 'UNKNOWN_TARGET',
        message: `No render target "${target}" (plugins add: ${[...targets.keys()].join(', ') || 'none'})`,
      });
    try {
      return t.target(face, { profile });
    } catch (cause) {
      throw new FaceError({
        code: 'PLUGIN_FAILED',
        plugin: t.plugin,
        message: `Plugin "${t.plugin}" failed rendering target "${target}"`,
        cause,
      });
    }
  }

  function fromParams(raw: Readonly<Record<ParamKey, number>>): Face {
    const params = {} as Record<ParamKey, FaceParam>;
    for (const key of PARAM_KEYS) {
      const value = raw[key];
      assertInRange(key, value, ranges, 'Face string');
      const r = fromIndex(key, value);
      const reason = r.exact
        ? `Set to ${value} ("${r.tag}") by the face string.`
        : `Set to ${value} by the face string; index ${value} is not in the catalogue, so the offline render shows "${r.tag}".`;
      const p = makeParam(
        key,
        r.tag,
        r.variant,
        reason,
        [{ name: 'faceString', value, source: 'parsed', confidence: 1 }],
        'parsed',
        null,
      );
      params[key] = r.exact ? p : withValue(p, value);
    }
    return { mappingVersion: MAPPING_VERSION, plugins: [], period: null, params, extras: {} };
  }

  return Object.freeze({
    mappingVersion: MAPPING_VERSION,
    plugins,
    ranges,
    catalogue,
    definitions: DEFAULT_MAPPING,
    overlays,
    map,
    vary,
    renderTarget,
    fromParams,
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
