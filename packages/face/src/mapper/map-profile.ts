import type { Face, FaceParam } from '../face.js';
import { hashString, mulberry32 } from '../internal/prng.js';
import { DEFAULT_MAPPING, MAPPING_VERSION } from '../mapping/default-mapping.js';
import { PARAM_KEYS, type ParamKey } from '../params.js';
import { type FaceProfile, assertFaceProfile } from '../profile-input.js';
import { assertInRange } from '../ranges.js';
import { type MapperCore, makeParam, paramAtIndex, partOption } from './core.js';
import { parsePins, resolvePin } from './pins.js';
import { applyPlugin, pluginExtras } from './plugin-results.js';

/** The default mapping of every parameter, keeping a previous face's variant where the tag holds. */
function defaultParams(
  core: MapperCore,
  profile: FaceProfile,
  previous: Face | undefined,
): Record<ParamKey, FaceParam> {
  const params = {} as Record<ParamKey, FaceParam>;
  for (const key of PARAM_KEYS) {
    const prev = previous?.params[key];
    const choice = DEFAULT_MAPPING[key].map({
      profile,
      previousTag: prev?.tag,
      hysteresis: core.hysteresis,
    });
    // Keep the previous variant when the meaning did not change, so a regenerated face is stable.
    const variant =
      prev !== undefined && prev.tag === choice.tag && prev.source !== 'pin' ? prev.variant : 0;
    params[key] = makeParam(core, key, choice.tag, variant, {
      reason: choice.reason,
      inputs: choice.inputs,
      source: 'mapping',
      plugin: null,
    });
  }
  return params;
}

/**
 * Maps a profile: the default mapping (with hysteresis against a previous face of the same
 * mapping version), then each plugin's mappings and extras in order, then the pins.
 */
export function mapProfile(
  core: MapperCore,
  profile: FaceProfile,
  options: { readonly pins?: unknown; readonly previous?: Face } = {},
): Face {
  assertFaceProfile(profile);
  const pins = parsePins(options.pins);
  // A face from another mapping version may use tags differently: no hysteresis against it.
  const previous =
    options.previous?.mappingVersion === MAPPING_VERSION ? options.previous : undefined;
  const params = defaultParams(core, profile, previous);
  for (const plugin of core.plugins)
    for (const key of PARAM_KEYS) applyPlugin(core, plugin, key, params, profile);
  const extras = pluginExtras(core.plugins, profile, params);
  for (const key of PARAM_KEYS) {
    const pin = pins[key];
    if (pin !== undefined) params[key] = resolvePin(core, key, pin);
  }
  return {
    mappingVersion: MAPPING_VERSION,
    plugins: core.plugins.map((p) => `${p.name}@${p.version}`),
    period: profile.period.label,
    params,
    extras,
  };
}

/** Another face of the same family: each unpinned parameter moves to another variant of its tag. */
export function varyWith(core: MapperCore, face: Face, seed: number | string): Face {
  const random = mulberry32(typeof seed === 'number' ? seed : hashString(seed));
  const params = {} as Record<ParamKey, FaceParam>;
  for (const key of PARAM_KEYS) {
    const p = face.params[key];
    const opt = partOption(core, key, p.tag);
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

/** A face from raw Notion indices (a parsed face string), each tagged from the catalogue. */
export function faceFromIndices(core: MapperCore, raw: Readonly<Record<ParamKey, number>>): Face {
  const params = {} as Record<ParamKey, FaceParam>;
  for (const key of PARAM_KEYS) {
    const value = raw[key];
    assertInRange(key, value, core.ranges, 'Face string');
    params[key] = paramAtIndex(core, key, value, (r) => ({
      reason: r.exact
        ? `Set to ${value} ("${r.tag}") by the face string.`
        : `Set to ${value} by the face string; index ${value} is not in the catalogue, so the offline render shows "${r.tag}".`,
      inputs: [{ name: 'faceString', value, source: 'parsed', confidence: 1 }],
      source: 'parsed',
      plugin: null,
    }));
  }
  return { mappingVersion: MAPPING_VERSION, plugins: [], period: null, params, extras: {} };
}
