import { z } from 'zod';
import { normalizeText } from '../logic/normalize-text.js';

/**
 * zod schema of a {@link Genre}.
 *
 * @example
 * ```ts
 * genreSchema.parse({ id: 'r-b', name: 'R&B' });
 * ```
 */
export const genreSchema = z.object({
  /** Normalised name (see {@link genreId}). */
  id: z.string().min(1),
  name: z.string(),
});

/**
 * A musical genre.
 *
 * @example
 * ```ts
 * const g: Genre = { id: genreId('Hip Hop'), name: 'Hip Hop' };
 * ```
 */
export type Genre = Readonly<z.infer<typeof genreSchema>>;

/**
 * The stable id of a genre name: accent- and case-insensitive, words joined by `-`.
 *
 * @example
 * ```ts
 * genreId('Post-Rock'); // 'post-rock'
 * genreId('R&B'); // 'r-b'
 * ```
 */
export function genreId(name: string): string {
  return normalizeText(name).replaceAll(' ', '-');
}
