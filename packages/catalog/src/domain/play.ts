import { z } from 'zod';

/**
 * zod schema of a {@link Play}.
 *
 * All times are **Unix epoch milliseconds (UTC)**. `endedAt` is the instant the stream ended:
 * Spotify's `played_at` for polled plays, the export's `ts` (Extended history) or `endTime`
 * (Account data, minute precision) for imported plays.
 *
 * @example
 * ```ts
 * const play = playSchema.parse(row); // then store.appendPlays([play])
 * ```
 */
export const playSchema = z.object({
  userId: z.string().min(1),
  /** Spotify/catalog track id; null for export rows without a track URI. */
  trackId: z.string().nullable(),
  trackName: z.string(),
  artistIds: z.array(z.string()).readonly(),
  /** Display name of the (first) artist. */
  artistName: z.string(),
  albumId: z.string().nullable(),
  albumName: z.string().nullable(),
  /** Unix ms when the stream ended. */
  endedAt: z.number().int(),
  msPlayed: z.number().int().nonnegative(),
  /** null when the source does not say (API plays, old exports). */
  skipped: z.boolean().nullable(),
  reasonStart: z.string().nullable(),
  reasonEnd: z.string().nullable(),
  shuffle: z.boolean().nullable(),
  offline: z.boolean().nullable(),
  /** Unix ms the offline stream was recorded by the device; null when unset (export's 0). */
  offlineTimestamp: z.number().int().nullable(),
  platform: z.string().nullable(),
  source: z.enum(['api', 'export']),
});

/**
 * One listening event, the same shape for plays polled from the API and imported from an export.
 *
 * @example
 * ```ts
 * const minutes = (plays: readonly Play[]) => plays.reduce((n, p) => n + p.msPlayed, 0) / 60_000;
 * ```
 */
export type Play = Readonly<z.infer<typeof playSchema>>;
