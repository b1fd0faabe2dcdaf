import type { ParamKey } from '../params.js';
import { accessories } from './accessories.js';
import { brows, eyes, mouth, nose, skin } from './banded-features.js';
import { glasses } from './glasses.js';
import { hair } from './hair.js';
import type { ParamMappingDefinition } from './rule-types.js';

// The default rules, one module per feature: banded-features.ts (skin, eyes, mouth, nose, brows),
// hair.ts, accessories.ts, glasses.ts; what they share in signals.ts and rule-types.ts.
export type {
  MappedChoice,
  MappingContext,
  MappingRow,
  ParamMappingDefinition,
} from './rule-types.js';
export { UNKNOWN_CONFIDENCE } from './signals.js';
export { SKIN_EDGES } from './banded-features.js';
export { HAIR_BY_FAMILY, HAIR_SHARE_MARGIN } from './hair.js';
export { ACCESSORY_BY_ACHIEVEMENT } from './accessories.js';
export { GLASSES_THRESHOLDS } from './glasses.js';

/**
 * Version of the default mapping. Bump on any change of bands, tables or reasons.
 *
 * @example
 * ```ts
 * if (face.mappingVersion !== MAPPING_VERSION) console.log('face made by another mapping version');
 * ```
 */
export const MAPPING_VERSION = 2;

/**
 * The default hysteresis margin around band edges (on the 0..1 input scale).
 *
 * @example
 * ```ts
 * createFaceMapper({ hysteresis: DEFAULT_HYSTERESIS * 2 });
 * ```
 */
export const DEFAULT_HYSTERESIS = 0.04;

/**
 * The eight default parameter rules, keyed by letter.
 *
 * @example
 * ```ts
 * DEFAULT_MAPPING.e.rows.map((r) => `${r.when}: ${r.tag}`);
 * ```
 */
export const DEFAULT_MAPPING: Readonly<Record<ParamKey, ParamMappingDefinition>> = {
  s: skin,
  e: eyes,
  m: mouth,
  n: nose,
  h: hair,
  a: accessories,
  y: glasses,
  b: brows,
};
