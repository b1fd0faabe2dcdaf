/**
 * The face's randomness: mulberry32 seeded from `hashString` (FNV-1a) of the seed text, from the
 * generators the packages share. A face is a promise: the same profile and seed draw the same face.
 */
export { hashText as hashString, mulberry32 } from '@spoti/internal';
