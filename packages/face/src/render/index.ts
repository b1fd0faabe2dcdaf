/**
 * `@spoti/face/render`: offline rendering with `@napi-rs/canvas` (an optional peer dependency),
 * plus optional fetching of remote Notion face images with a safe fallback.
 *
 * @packageDocumentation
 */
export { fitText, MAX_LINE_GRAPHEMES, renderFace } from './render-face.js';
export type {
  FaceArtStyle,
  FaceImageFormat,
  FaceLayout,
  RenderFaceOptions,
  RenderedFace,
  TextMeasurer,
} from './render-face.js';
export { NOTIONISTS_ATTRIBUTION, NOTIONISTS_FRAMING, toNotionistsSvg } from './notionists.js';
export type { NotionistsSvgOptions } from './notionists.js';
export { faceStatsSchema, statsFromProfile } from './stats.js';
export type { FaceStats } from './stats.js';
export { CJK_FAMILY, FONT_FAMILY, registerCjkFonts, registerFaceFonts } from './fonts.js';
export type { FontStatus } from './fonts.js';
export { createRemoteFaceFetcher, DEFAULT_REMOTE_HOSTS } from './remote.js';
export type {
  RemoteFaceFetcher,
  RemoteFaceOptions,
  RemoteFaceResult,
  RemoteFaceCache,
  RemoteFetchOptions,
} from './remote.js';
