/**
 * The URL prefixes of the cached reads a write to `path` may have changed, below the API base:
 * everything under `/me` for a write to `/me/...`; for a playlist write the playlist itself and
 * the playlist lists that show it (`/me/playlists`, `/users/{id}/playlists`); otherwise the
 * resource the first two path segments name.
 */
export function touchedPrefixes(base: string, path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  const own = segments[0] === 'me' ? 'me' : segments.slice(0, 2).join('/');
  const prefixes = [`${base}/${own}`];
  if (segments.includes('playlists')) {
    prefixes.push(`${base}/me/playlists`, `${base}/users`);
  }
  return prefixes;
}

/** Whether `url` is `prefix` itself or below it (`prefix/...`, `prefix?...`). */
export function isUnder(url: string, prefix: string): boolean {
  if (!url.startsWith(prefix)) return false;
  const rest = url.slice(prefix.length);
  return rest === '' || rest.startsWith('/') || rest.startsWith('?');
}
