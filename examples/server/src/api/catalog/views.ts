import type { Album, Artist, Track } from '@spoti/catalog';
import { z } from 'zod';
import { iso, isoTime } from '../schemas.js';

/** A song as the API shows it. */
export const songSchema = z.object({
  id: z.string(),
  name: z.string(),
  artistIds: z.array(z.string()),
  ownerArtistId: z.string().nullable(),
  albumId: z.string().nullable(),
  durationMs: z.number().int(),
  explicit: z.boolean(),
  visibility: z.enum(['public', 'private']),
  discNumber: z.number().int(),
  trackNumber: z.number().int(),
  isrc: z.string().nullable(),
  addedAt: isoTime,
});

/** An album as the API shows it. */
export const albumSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['album', 'single', 'compilation']),
  artistIds: z.array(z.string()),
  releaseDate: z.string(),
  genres: z.array(z.string()),
  label: z.string().nullable(),
  imageUrl: z.string().nullable(),
  totalTracks: z.number().int(),
  addedAt: isoTime,
});

/** An artist profile as the API shows it. */
export const artistSchema = z.object({
  id: z.string(),
  name: z.string(),
  genres: z.array(z.string()),
  imageUrl: z.string().nullable(),
  /** Whether a platform account manages this profile. */
  managed: z.boolean(),
  followerCount: z.number().int(),
  addedAt: isoTime,
});

/** A song for the API. */
export function songView(t: Track): z.infer<typeof songSchema> {
  return {
    id: t.id,
    name: t.name,
    artistIds: [...t.artistIds],
    ownerArtistId: t.ownerArtistId,
    albumId: t.albumId,
    durationMs: t.durationMs,
    explicit: t.explicit,
    visibility: t.visibility,
    discNumber: t.discNumber,
    trackNumber: t.trackNumber,
    isrc: t.isrc,
    addedAt: iso(t.addedAt),
  };
}

/** An album for the API. */
export function albumView(a: Album): z.infer<typeof albumSchema> {
  return {
    id: a.id,
    name: a.name,
    type: a.type,
    artistIds: [...a.artistIds],
    releaseDate: a.releaseDate,
    genres: [...a.genres],
    label: a.label,
    imageUrl: a.imageUrl,
    totalTracks: a.totalTracks,
    addedAt: iso(a.addedAt),
  };
}

/** An artist for the API. */
export function artistView(a: Artist, followerCount: number): z.infer<typeof artistSchema> {
  return {
    id: a.id,
    name: a.name,
    genres: [...a.genres],
    imageUrl: a.imageUrl,
    managed: a.ownerUserId !== null,
    followerCount,
    addedAt: iso(a.addedAt),
  };
}
