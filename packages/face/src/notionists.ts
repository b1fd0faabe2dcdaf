/**
 * `@spoti/face/notionists`: the DiceBear Notionists artwork as data, and the face drawn from it.
 * `notionistsSvg` is browser-safe and light (it needs `@dicebear/core` only); `notionistsArt`
 * reads `@dicebear/notionists` once to make the data, in Node or at build time.
 *
 * @packageDocumentation
 */
export { notionistsArt } from './draw/notionists-art.js';
export type { NotionistsArtOptions } from './draw/notionists-art.js';
export { notionistsSvg } from './draw/notionists-svg.js';
export type { NotionistsArt, NotionistsSvgOptions } from './draw/notionists-svg.js';
