/** The memory store's seeded generator (mulberry32), from the generators the packages share. */
export { mulberry32 } from '@spoti/internal';
