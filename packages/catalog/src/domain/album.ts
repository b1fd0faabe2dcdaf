import { z } from 'zod';

/**
 * Release-date precision as Spotify reports it.
 *
 * @example
 * ```ts
 * releaseDatePrecisionSchema.parse('month'); // 'month'
 * ```
 */
export const releaseDatePrecisionSchema = z.enum(['year', 'month', 'day']);
/**
 * Precision of an album's release date.
 *
 * @example
 * ```ts
 * const p: ReleaseDatePrecision = 'year';
 * ```
 */
export type ReleaseDatePrecision = z.infer<typeof releaseDatePrecisionSchema>;

/**
 * zod schema of an {@link Album}.
 *
 * @example
 * ```ts
 * albumSchema.parse(album); // throws on a malformed release date
 * ```
 */
export const albumSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: z.enum(['album', 'single', 'compilation']),
  artistIds: z.array(z.string()).readonly(),
  /** "YYYY", "YYYY-MM" or "YYYY-MM-DD" according to {@link releaseDatePrecision}. */
  releaseDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/),
  releaseDatePrecision: releaseDatePrecisionSchema,
  /** Universal Product Code (barcode, from Spotify's `external_ids.upc`), when known. */
  upc: z.string().nullable(),
  /** Whether any track of the album is explicit. */
  explicit: z.boolean(),
  /**
   * The id of the explicit/clean counterpart of this album, when known: an explicit album points at
   * its clean version and the clean one back (see `linkAlbumVariants`).
   */
  variantOfAlbumId: z.string().nullable(),
  genres: z.array(z.string()).readonly(),
  label: z.string().nullable(),
  imageUrl: z.string().nullable(),
  totalTracks: z.number().int().nonnegative(),
  /** Unix ms when the album entered the catalog. */
  addedAt: z.number().int(),
});

/**
 * An album, single or compilation.
 *
 * @example
 * ```ts
 * const isClean = (a: Album) => !a.explicit && a.variantOfAlbumId !== null;
 * ```
 */
export type Album = Readonly<z.infer<typeof albumSchema>>;

/**
 * The first instant (Unix ms, UTC) covered by a release date of any precision:
 * "1981" -> 1981-01-01, "1981-12" -> 1981-12-01. Compare releases with this, never as strings.
 * Years below 100 are taken literally ("0000", Spotify's "unknown", is year 0, before any real
 * date), not as 19xx.
 *
 * @example
 * ```ts
 * releaseDateStart('1981-12') < releaseDateStart('1981-12-15'); // true
 * ```
 */
export function releaseDateStart(date: string): number {
  const [y, m, d] = date.split('-');
  const at = new Date(0);
  at.setUTCFullYear(
    Number(y),
    m === undefined ? 0 : Number(m) - 1,
    d === undefined ? 1 : Number(d),
  );
  return at.getTime();
}
