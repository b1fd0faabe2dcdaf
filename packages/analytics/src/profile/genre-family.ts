// Genre families are part of the ListeningProfile contract in `@spoti/profile`.
export { GENRE_FAMILIES, genreFamilyOf } from '@spoti/profile';
export type { GenreFamily } from '@spoti/profile';
