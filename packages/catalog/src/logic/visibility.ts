import { z } from 'zod';
import type { Track } from '../domain/track.js';

/**
 * zod schema of the `viewerArtistId` option of every catalog listing: the artist profile of the
 * person asking, or null (a listener, or anonymous). Private tracks owned by that artist are
 * listed; every other private track is left out.
 *
 * @example
 * ```ts
 * viewerArtistIdSchema.parse(undefined); // null
 * ```
 */
export const viewerArtistIdSchema = z.string().nullable().default(null);

/**
 * Whether `track` may be shown to a viewer managing the artist `viewerArtistId` (null: none):
 * public tracks to everyone, private ones only to their owning artist.
 *
 * @example
 * ```ts
 * isVisibleTo({ visibility: 'private', ownerArtistId: 'a5' }, 'a5'); // true
 * isVisibleTo({ visibility: 'private', ownerArtistId: 'a5' }, null); // false
 * ```
 */
export function isVisibleTo(
  track: Pick<Track, 'visibility' | 'ownerArtistId'>,
  viewerArtistId: string | null | undefined,
): boolean {
  return (
    track.visibility === 'public' ||
    (viewerArtistId !== null &&
      viewerArtistId !== undefined &&
      track.ownerArtistId === viewerArtistId)
  );
}
