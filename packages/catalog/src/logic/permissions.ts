import type { Album } from '../domain/album.js';
import type { Track } from '../domain/track.js';
import type { User } from '../domain/user.js';

/**
 * Something a user may try to do to catalog content.
 *
 * @example
 * ```ts
 * can(user, 'update' satisfies CatalogAction, { kind: 'track', track });
 * ```
 */
export type CatalogAction = 'read' | 'create' | 'update' | 'delete';

/**
 * A permission answer with its reason.
 *
 * @example
 * ```ts
 * const { allowed, reason }: PermissionDecision = can(null, 'read', { kind: 'track', track });
 * ```
 */
export interface PermissionDecision {
  readonly allowed: boolean;
  readonly reason:
    | 'public-content'
    | 'owner'
    | 'not-an-artist'
    | 'not-the-owner'
    | 'private-content'
    | 'anonymous';
}

/**
 * The content a permission is asked about.
 *
 * @example
 * ```ts
 * can(user, 'delete', { kind: 'album', album } satisfies CatalogResource);
 * ```
 */
export type CatalogResource =
  | { readonly kind: 'track'; readonly track: Pick<Track, 'ownerArtistId' | 'visibility'> }
  | { readonly kind: 'album'; readonly album: Pick<Album, 'artistIds'> };

function ownerArtist(resource: CatalogResource): string | null {
  return resource.kind === 'track'
    ? resource.track.ownerArtistId
    : (resource.album.artistIds[0] ?? null);
}

/**
 * Decides whether `user` (null = anonymous) may perform `action` on `resource`:
 * - anyone, even anonymous, reads public tracks and albums;
 * - private tracks are readable by their owner only;
 * - only an artist user whose `artistId` owns the track (or is the album's primary artist) may
 *   create, update or delete it.
 *
 * @example
 * ```ts
 * can(listener, 'update', { kind: 'track', track }); // { allowed: false, reason: 'not-an-artist' }
 * ```
 */
export function can(
  user: Pick<User, 'role' | 'artistId'> | null,
  action: CatalogAction,
  resource: CatalogResource,
): PermissionDecision {
  const owner = ownerArtist(resource);
  const isOwner =
    user !== null && user.role === 'artist' && user.artistId !== null && user.artistId === owner;
  if (action === 'read') {
    const isPublic = resource.kind === 'album' || resource.track.visibility === 'public';
    if (isPublic) return { allowed: true, reason: 'public-content' };
    return isOwner
      ? { allowed: true, reason: 'owner' }
      : { allowed: false, reason: 'private-content' };
  }
  if (user === null) return { allowed: false, reason: 'anonymous' };
  if (user.role !== 'artist') return { allowed: false, reason: 'not-an-artist' };
  return isOwner ? { allowed: true, reason: 'owner' } : { allowed: false, reason: 'not-the-owner' };
}
