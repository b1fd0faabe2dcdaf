import { Router } from './router.js';
import { catalogRoutes, REMOVED_IN_DEVELOPMENT } from './routes/catalog.js';
import { meRoutes } from './routes/me.js';
import { playlistRoutes } from './routes/playlists.js';

/** Every Web API route of the mock, and the ones the development profile removed. */
export const ROUTER = new Router(
  [...meRoutes, ...playlistRoutes, ...catalogRoutes],
  REMOVED_IN_DEVELOPMENT,
);

/**
 * The name a request is counted under in the request log: the method and the route pattern
 * (`GET /v1/me/tracks`), the OAuth path, or `(unknown)`.
 */
export function endpointName(method: string, path: string): string {
  if (!path.startsWith('/v1')) {
    return `${method} ${path === '/authorize' || path === '/api/token' ? path : '(unknown)'}`;
  }
  const match = ROUTER.match(method, path);
  if (match.kind === 'route') return `${method} ${match.route.pattern}`;
  if (match.kind === 'none') return `${method} (unknown)`;
  return `${method} ${match.pattern}`;
}
