import {
  DEFAULT_CATALOGUE,
  type PartOption,
  type PartsCatalogue,
  lookupIndex,
} from '../catalogue.js';
import { FaceError } from '../errors/face-error.js';
import type { FaceInput, FaceParam, FaceParamSource } from '../face.js';
import { PARAM_KEYS, PARAM_NAMES, type ParamKey } from '../params.js';
import {
  type FaceOverlay,
  type FacePlugin,
  type FaceTarget,
  type PluginPart,
  orderPlugins,
} from '../plugins.js';
import {
  type FaceRanges,
  type FaceRangesOverride,
  assertInRange,
  resolveRanges,
} from '../ranges.js';

/** A part in the mapper's catalogue: built-in or added by a plugin. */
export interface CataloguePart extends PartOption {
  /** The plugin that added the part, or null for built-ins. */
  readonly plugin: string | null;
  /** Drawing of plugin parts; built-ins are drawn by the package. */
  readonly draw: PluginPart['draw'] | null;
}

/** What a mapper is set up with once: validated plugins, ranges and the merged catalogue. */
export interface MapperCore {
  readonly plugins: readonly FacePlugin[];
  readonly ranges: FaceRanges;
  readonly hysteresis: number;
  readonly catalogue: Readonly<Record<ParamKey, readonly CataloguePart[]>>;
  /** Render targets by name, with the plugin that added each. */
  readonly targets: ReadonlyMap<string, { readonly plugin: string; readonly target: FaceTarget }>;
  readonly overlays: readonly (FaceOverlay & { readonly plugin: string })[];
}

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

/** Throws INVALID_PLUGIN when two plugins share a name. */
function assertUniqueNames(plugins: readonly FacePlugin[]): void {
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
}

/** The plugins' render targets by name; INVALID_PLUGIN when two add the same name. */
function collectTargets(plugins: readonly FacePlugin[]): MapperCore['targets'] {
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
  return targets;
}

/**
 * Sets a mapper up: orders the plugins, checks their names, parts, indices and targets against
 * the ranges, and checks that every built-in part fits the ranges.
 */
export function setUpMapper(options: {
  readonly plugins?: readonly FacePlugin[];
  readonly ranges?: FaceRangesOverride;
  readonly hysteresis: number;
}): MapperCore {
  const ranges = resolveRanges(options.ranges);
  const plugins = orderPlugins(options.plugins ?? []);
  assertUniqueNames(plugins);
  const catalogue = buildCatalogue(plugins, ranges);
  for (const key of PARAM_KEYS)
    for (const part of catalogue[key])
      if (part.plugin === null)
        for (const index of part.notion)
          assertInRange(key, index, ranges, `Built-in part "${part.tag}" under the given ranges`);
  const targets = collectTargets(plugins);
  const overlays = plugins.flatMap((p) =>
    (p.overlays ?? []).map((o) => ({ ...o, plugin: p.name })),
  );
  return { plugins, ranges, hysteresis: options.hysteresis, catalogue, targets, overlays };
}

/** The catalogue part of a parameter with a tag, if any. */
export function partOption(
  core: MapperCore,
  key: ParamKey,
  tag: string,
): CataloguePart | undefined {
  return core.catalogue[key].find((o) => o.tag === tag);
}

/** The tags a parameter knows, for messages. */
export function knownTags(core: MapperCore, key: ParamKey): string {
  return core.catalogue[key].map((o) => o.tag).join(', ');
}

function minConfidence(inputs: readonly FaceInput[]): number {
  return inputs.length === 0 ? 1 : Math.min(...inputs.map((i) => i.confidence));
}

/** Why a parameter has its value: the reason, its inputs, where it came from. */
export interface ParamOrigin {
  readonly reason: string;
  readonly inputs: readonly FaceInput[];
  readonly source: FaceParamSource;
  readonly plugin: string | null;
}

/** A parameter of a known tag; the variant is clamped to the part's variants. */
export function makeParam(
  core: MapperCore,
  key: ParamKey,
  tag: string,
  variant: number,
  origin: ParamOrigin,
): FaceParam {
  const opt = partOption(core, key, tag)!;
  const v = Math.min(Math.max(0, variant), opt.notion.length - 1);
  return {
    key,
    name: PARAM_NAMES[key],
    value: opt.notion[v]!,
    tag,
    variant: v,
    reason: origin.reason,
    inputs: origin.inputs,
    confidence: origin.source === 'pin' ? 1 : minConfidence(origin.inputs),
    source: origin.source,
    plugin: origin.plugin,
  };
}

/**
 * The tag and variant of a Notion index; an index outside the catalogue gets a stable stand-in
 * from the same parameter (`exact: false`), so it still renders.
 */
export function fromIndex(
  core: MapperCore,
  key: ParamKey,
  index: number,
): { tag: string; variant: number; exact: boolean } {
  const found = lookupIndex(core.catalogue as PartsCatalogue, key, index);
  if (found !== null) return { tag: found.option.tag, variant: found.variant, exact: true };
  const opts = core.catalogue[key];
  const opt = opts[index % opts.length]!;
  return {
    tag: opt.tag,
    variant: Math.floor(index / opts.length) % opt.notion.length,
    exact: false,
  };
}

/** A parameter set to a Notion index; a stand-in part keeps the index it was given as its value. */
export function paramAtIndex(
  core: MapperCore,
  key: ParamKey,
  index: number,
  origin: ParamOrigin | ((found: { tag: string; exact: boolean }) => ParamOrigin),
): FaceParam {
  const r = fromIndex(core, key, index);
  const p = makeParam(
    core,
    key,
    r.tag,
    r.variant,
    typeof origin === 'function' ? origin(r) : origin,
  );
  return r.exact ? p : { ...p, value: index };
}
