import { z } from 'zod';
import { normalizeText } from '../logic/normalize-text.js';

/** zod schema of a {@link Genre}. */
export const genreSchema = z.object({
  /** Normalised name (see {@link genreId}). */
  id: z.string().min(1),
  name: z.string(),
});

/** A musical genre. */
export type Genre = Readonly<z.infer<typeof genreSchema>>;

/** The stable id of a genre name: accent- and case-insensitive, words joined by `-`. */
export function genreId(name: string): string {
  return normalizeText(name).replaceAll(' ', '-');
}
