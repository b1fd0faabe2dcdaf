import { z } from 'zod';
import { simplifiedAlbumSchema } from './album.js';
import { simplifiedArtistSchema } from './artist.js';
import { externalIdsSchema, externalUrlsSchema } from './common.js';

/** Why a track cannot be played (`market`, `product`, `explicit`, or a reason Spotify adds later). */
export const trackRestrictionsSchema = z.object({ reason: z.string() });

/** The track a relinked track stands in for (present when relinking applied). */
export const linkedTrackSchema = z.object({
  id: z.string(),
  type: z.literal('track').optional(),
  uri: z.string(),
  href: z.string().optional(),
  external_urls: externalUrlsSchema.optional(),
});
/** The track a relinked track stands in for. */
export type SpotifyLinkedTrack = z.infer<typeof linkedTrackSchema>;

/**
 * A simplified track as listed in an album. `preview_url`, `linked_from` may be absent;
 * `is_playable` and `restrictions` come only when the request named a `market` (or `from_token`).
 */
export const simplifiedTrackSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.literal('track'),
  uri: z.string(),
  duration_ms: z.number(),
  explicit: z.boolean(),
  artists: z.array(simplifiedArtistSchema),
  track_number: z.number().optional(),
  disc_number: z.number().optional(),
  is_local: z.boolean().optional(),
  href: z.string().optional(),
  external_urls: externalUrlsSchema.optional(),
  preview_url: z.string().nullable().optional(),
  available_markets: z.array(z.string()).optional(),
  /** Whether the track can be played in the request's market (only with a `market`). */
  is_playable: z.boolean().optional(),
  /** Why it cannot be played there, e.g. `{ reason: 'market' }` (only with a `market`). */
  restrictions: trackRestrictionsSchema.optional(),
  /** The track asked for, when Spotify relinked it to this one (only with a `market`). */
  linked_from: linkedTrackSchema.optional(),
});
/** A simplified track. */
export type SpotifySimplifiedTrack = z.infer<typeof simplifiedTrackSchema>;

/** A full track. `popularity`, `available_markets`, `linked_from` are gone in 2026 Development Mode. */
export const trackSchema = simplifiedTrackSchema.extend({
  album: simplifiedAlbumSchema,
  popularity: z.number().optional(),
  external_ids: externalIdsSchema.optional(),
});
/** A full track. */
export type SpotifyTrack = z.infer<typeof trackSchema>;
