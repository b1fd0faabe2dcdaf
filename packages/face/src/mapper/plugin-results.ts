import { FaceError, isFaceError } from '../errors/face-error.js';
import type { Face, FaceExtra, FaceParam } from '../face.js';
import { PARAM_NAMES, type ParamKey } from '../params.js';
import type { FacePlugin } from '../plugins.js';
import type { FaceProfile } from '../profile-input.js';
import { assertInRange } from '../ranges.js';
import { type MapperCore, knownTags, makeParam, paramAtIndex, partOption } from './core.js';

type Mapping = NonNullable<NonNullable<FacePlugin['mappings']>[ParamKey]>;

/** Calls a plugin's mapping; PLUGIN_FAILED naming the plugin when it throws. */
function callMapping(
  plugin: FacePlugin,
  key: ParamKey,
  mapping: Mapping,
  input: Parameters<Mapping>[0],
): ReturnType<Mapping> {
  try {
    return mapping(input);
  } catch (cause) {
    if (isFaceError(cause)) throw cause;
    throw new FaceError({
      code: 'PLUGIN_FAILED',
      plugin: plugin.name,
      message: `Plugin "${plugin.name}" failed while mapping ${PARAM_NAMES[key]}`,
      cause,
    });
  }
}

/**
 * Applies a plugin's mapping of one parameter to `params`, checking its result (a reason, and a
 * known tag with a variant in range or a value in range); PLUGIN_RESULT_INVALID otherwise.
 */
export function applyPlugin(
  core: MapperCore,
  plugin: FacePlugin,
  key: ParamKey,
  params: Record<ParamKey, FaceParam>,
  profile: FaceProfile,
): void {
  const mapping = plugin.mappings?.[key];
  if (mapping === undefined) return;
  const result = callMapping(plugin, key, mapping, { profile, current: params[key], params });
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
  const origin = {
    reason: result.reason,
    inputs: result.inputs ?? params[key].inputs,
    source: 'plugin' as const,
    plugin: plugin.name,
  };
  if (result.tag !== undefined) {
    const opt = partOption(core, key, result.tag);
    if (opt === undefined)
      throw bad(`unknown part "${result.tag}" (known: ${knownTags(core, key)})`);
    const variant = result.variant ?? 0;
    if (!Number.isInteger(variant) || variant < 0 || variant >= opt.notion.length)
      throw bad(`variant ${variant} is out of range 0..${opt.notion.length - 1}`);
    params[key] = makeParam(core, key, result.tag, variant, origin);
    return;
  }
  if (result.value !== undefined) {
    assertInRange(key, result.value, core.ranges, where, plugin.name);
    params[key] = paramAtIndex(core, key, result.value, origin);
    return;
  }
  throw bad('must return a tag or a value');
}

/** The plugins' extras for a face, checked; PLUGIN_FAILED or PLUGIN_RESULT_INVALID naming the plugin. */
export function pluginExtras(
  plugins: readonly FacePlugin[],
  profile: FaceProfile,
  params: Record<ParamKey, FaceParam>,
): Record<string, FaceExtra> {
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
  return extras;
}

/** Renders a face with a plugin's target; UNKNOWN_TARGET or PLUGIN_FAILED otherwise. */
export function renderWithTarget(
  core: MapperCore,
  face: Face,
  target: string,
  profile?: FaceProfile,
): string | Uint8Array {
  const t = core.targets.get(target);
  if (t === undefined)
    throw new FaceError({
      code: 'UNKNOWN_TARGET',
      message: `No render target "${target}" (plugins add: ${[...core.targets.keys()].join(', ') || 'none'})`,
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
