/** A seeded generator of numbers in [0, 1) (mulberry32), for reproducible benchmark data. */
export { mulberry32 as mulberry } from '@spoti/internal';
