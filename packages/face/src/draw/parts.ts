// The line-art parts, one file per part under `parts/`; this module lists them.
export { BACKGROUNDS, SKIN_TONES } from './parts/palette.js';
export { drawBody, drawHead } from './parts/head.js';
export { drawEyes } from './parts/eyes.js';
export { drawBrows } from './parts/brows.js';
export { drawNose } from './parts/nose.js';
export { drawMouth } from './parts/mouth.js';
export { drawGlasses } from './parts/glasses.js';
export type { HairLayers } from './parts/hair-shapes.js';
export { drawHair } from './parts/hair.js';
export { drawAccessory } from './parts/accessory.js';
