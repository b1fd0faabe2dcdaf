import { z } from 'zod';
import { FaceError } from '../errors/face-error.js';
import type { FaceParam } from '../face.js';
import { parseOptions } from '../internal/parse-options.js';
import { PARAM_KEYS, PARAM_NAMES, type ParamKey, toParamKey } from '../params.js';
import { assertInRange } from '../ranges.js';
import { type MapperCore, knownTags, makeParam, paramAtIndex, partOption } from './core.js';

/** A pin's value: a Notion index or a meaning tag. */
type PinValue = number | string;

const pinsSchema = z.record(z.string(), z.union([z.number(), z.string()]));

/**
 * Pins keyed by parameter letter or name, validated and keyed by letter; INVALID_OPTIONS
 * naming the bad pin or the unknown parameter otherwise.
 */
export function parsePins(pins: unknown): Partial<Record<ParamKey, PinValue>> {
  if (pins === undefined) return {};
  const checked = parseOptions(
    pinsSchema,
    pins,
    'pins (a parameter letter or name to an index or a tag)',
  );
  const out: Partial<Record<ParamKey, PinValue>> = {};
  for (const [k, v] of Object.entries(checked)) {
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

/** One reason for every kind of pin: the tag and the number it has in the face string. */
function pinned(p: FaceParam): FaceParam {
  return {
    ...p,
    reason: `You pinned your ${PARAM_NAMES[p.key]} to ${p.tag} (${p.key}${p.value} in the face string).`,
  };
}

/** The parameter a pin sets; OUT_OF_RANGE or UNKNOWN_PART when the pin names nothing. */
export function resolvePin(core: MapperCore, key: ParamKey, pin: PinValue): FaceParam {
  const origin = {
    reason: '',
    inputs: [{ name: 'pin', value: pin, source: 'pin' as const, confidence: 1 }],
    source: 'pin' as const,
    plugin: null,
  };
  if (typeof pin === 'number') {
    assertInRange(key, pin, core.ranges, 'Pin');
    return pinned(paramAtIndex(core, key, pin, origin));
  }
  if (partOption(core, key, pin) === undefined)
    throw new FaceError({
      code: 'UNKNOWN_PART',
      message: `Pin: ${PARAM_NAMES[key]} has no part "${pin}" (known: ${knownTags(core, key)})`,
    });
  return pinned(makeParam(core, key, pin, 0, origin));
}
