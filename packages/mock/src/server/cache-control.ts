/**
 * The `Cache-Control` of a successful GET, as Spotify sends it: the user's own data and every
 * playlist read (`/playlists/...`, `/users/{id}/playlists`) with `max-age=0` and an `ETag`, so a
 * client revalidates each time (playlists change from other apps at any moment); catalogue
 * objects (artists, albums, tracks) may be kept for an hour.
 */
export function cacheControlFor(path: string): string {
  const revalidate =
    path.startsWith('/v1/me') ||
    path.startsWith('/v1/playlists/') ||
    /^\/v1\/users\/[^/]+\/playlists(\/|$)/.test(path);
  return revalidate ? 'private, max-age=0' : 'private, max-age=3600';
}
