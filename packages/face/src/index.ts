/**
 * `@spoti/face`: turn a listening profile into an explained, stable, pluggable Notion-style face.
 * Isomorphic: no Node built-ins and no canvas here; the offline renderer is `@spoti/face/render`.
 *
 * @packageDocumentation
 */
export { FaceError, isFaceError } from './errors/face-error.js';
export type { FaceErrorCode, FaceErrorOptions } from './errors/face-error.js';
export { PARAM_KEYS, PARAM_NAMES, isParamKey, toParamKey } from './params.js';
export type { ParamKey, ParamName } from './params.js';
export { DEFAULT_RANGES, faceRangesSchema, resolveRanges } from './ranges.js';
export type { FaceRanges, FaceRangesOverride, ParamRange } from './ranges.js';
export { DEFAULT_CATALOGUE, NOTIONISTS_BODY_BY_HAIR, NOTIONISTS_PARTS } from './catalogue.js';
export type { NotionistsPartName, PartOption, PartsCatalogue } from './catalogue.js';
export type { Face, FaceExtra, FaceInput, FaceParam, FaceParamSource } from './face.js';
export { assertFaceProfile, faceProfileSchema } from './profile-input.js';
export type { FaceProfile, GenreFamily, ListeningProfile } from './profile-input.js';
export {
  ACCESSORY_BY_ACHIEVEMENT,
  DEFAULT_HYSTERESIS,
  DEFAULT_MAPPING,
  GLASSES_THRESHOLDS,
  HAIR_BY_FAMILY,
  HAIR_SHARE_MARGIN,
  MAPPING_VERSION,
  SKIN_EDGES,
  UNKNOWN_CONFIDENCE,
} from './mapping/default-mapping.js';
export type {
  MappedChoice,
  MappingContext,
  MappingRow,
  ParamMappingDefinition,
} from './mapping/default-mapping.js';
export {
  compareFaces,
  createFaceMapper,
  faceFromParams,
  mapFace,
  varyFace,
} from './mapper.js';
export type {
  CataloguePart,
  FaceChange,
  FaceMapper,
  FaceMapperOptions,
  FacePins,
  FacePinValue,
  MapFaceOptions,
} from './mapper.js';
export { defineFacePlugin } from './plugins.js';
export type {
  FaceOverlay,
  FacePlugin,
  FacePluginDefinition,
  FaceTarget,
  OverlayContext,
  PluginExtraMapping,
  PluginMapping,
  PluginMappingContext,
  PluginMappingResult,
  PluginPart,
} from './plugins.js';
export {
  NOTION_FACES_ORIGIN,
  parseFaceString,
  parseNotionFaceUrl,
  toFaceString,
  toNotionFaceUrl,
} from './notion-url.js';
export type { NotionFaceParams } from './notion-url.js';
export { INK, PAPER, faceBackground, faceShapes, shapesToSvg, toFaceSvg } from './draw/compose.js';
export type { FaceColours, FaceShapesOptions, FaceSvgOptions } from './draw/compose.js';
export { BACKGROUNDS, SKIN_TONES } from './draw/parts.js';
export { NOTIONISTS_LINE_ART_TRANSFORM, notionistsOptions } from './draw/notionists.js';
export type { NotionistsFace } from './draw/notionists.js';
export type { PartDrawContext, Shape } from './draw/shape.js';
export { faceMappingMarkdown } from './mapping/mapping-doc.js';
