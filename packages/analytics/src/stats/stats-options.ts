import { checkSchema } from '../errors/check-schema.js';
import { z } from 'zod';
import type { PeriodSpec } from './period.js';

/** An artist as handed to {@link StatsOptions.genresOf}. */
export interface ArtistRef {
  readonly id: string | null;
  readonly name: string;
}

/** A track as handed to {@link StatsOptions.releaseYearOf}. */
export interface ReleaseRef {
  readonly id: string | null;
  readonly name: string;
  readonly artistName: string;
  readonly albumName: string | null;
}

/** Options of {@link computeStats}. */
export interface StatsOptions {
  /** The listener's IANA time zone: hours, days, weekdays, months and years are local to it. */
  timeZone: string;
  /** Default `all`. */
  period?: PeriodSpec;
  /** "Now" for relative periods, Unix ms. Default: the end of the last play (the export's end). */
  now?: number;
  /** Genres of an artist (Spotify's artist genres; may be empty: the stats then say genres are unknown). */
  genresOf?: (artist: ArtistRef) => readonly string[] | undefined;
  /** Release year of a track's album, for the listening age. */
  releaseYearOf?: (track: ReleaseRef) => number | undefined;
  /** Length of top lists (default 50). */
  limit?: number;
  /** A pause longer than this ends a session (default 10 minutes). */
  sessionGapMs?: number;
}

const optionsSchema = z.object({
  timeZone: z.string().min(1),
  period: z
    .union([
      z.enum(['short_term', 'medium_term', 'long_term', 'all']),
      z.string().regex(/^\d{4}$/),
      z.object({ year: z.number().int() }),
      z.object({
        from: z.union([z.number(), z.string()]),
        to: z.union([z.number(), z.string()]),
        label: z.string().min(1).optional(),
      }),
    ])
    .optional(),
  now: z.number().finite().optional(),
  genresOf: z.custom<StatsOptions['genresOf']>((v) => typeof v === 'function').optional(),
  releaseYearOf: z.custom<StatsOptions['releaseYearOf']>((v) => typeof v === 'function').optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  sessionGapMs: z.number().int().positive().optional(),
});

/** Parses options once at the boundary. */
export function parseStatsOptions(options: StatsOptions): StatsOptions {
  checkSchema(optionsSchema, options, 'Invalid statistics options');
  return options;
}
