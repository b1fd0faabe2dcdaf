import { z } from 'zod';

/** Release-date precision as Spotify reports it. */
export const releaseDatePrecisionSchema = z.enum(['year', 'month', 'day']);
/** Precision of an album's release date. */
export type ReleaseDatePrecision = z.infer<typeof releaseDatePrecisionSchema>;

/** zod schema of an {@link Album}. */
export const albumSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: z.enum(['album', 'single', 'compilation']),
  artistIds: z.array(z.string()).readonly(),
  /** "YYYY", "YYYY-MM" or "YYYY-MM-DD" according to {@link releaseDatePrecision}. */
  releaseDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/),
  releaseDatePrecision: releaseDatePrecisionSchema,
  /** Universal Product Code, when known. */
  upc: z.string().nullable(),
  explicit: z.boolean(),
  /** The id of the explicit/clean counterpart of this album, when known. */
  variantOfAlbumId: z.string().nullable(),
  genres: z.array(z.string()).readonly(),
  label: z.string().nullable(),
  imageUrl: z.string().nullable(),
  totalTracks: z.number().int().nonnegative(),
  /** Unix ms when the album entered the catalog. */
  addedAt: z.number().int(),
});

/** An album, single or compilation. */
export type Album = Readonly<z.infer<typeof albumSchema>>;

/**
 * The first instant (Unix ms, UTC) covered by a release date of any precision:
 * "1981" -> 1981-01-01, "1981-12" -> 1981-12-01. Compare releases with this, never as strings.
 */
export function releaseDateStart(date: string): number {
  const [y, m, d] = date.split('-');
  return Date.UTC(Number(y), m === undefined ? 0 : Number(m) - 1, d === undefined ? 1 : Number(d));
}
