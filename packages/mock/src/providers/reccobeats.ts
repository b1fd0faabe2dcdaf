import type { World } from '../world/types.js';
import { measuredFeatures, unit, uuidOf } from './provider-world.js';
import type { ProviderAnswer } from './provider-server.js';

const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Ids per request the ReccoBeats stand-in accepts (more is a 400, like a malformed batch).
 *
 * @example
 * ```ts
 * const batches = Math.ceil(ids.length / RECCOBEATS_MAX_IDS);
 * ```
 */
export const RECCOBEATS_MAX_IDS = 40;

function idsOf(query: URLSearchParams): string[] {
  return query
    .getAll('ids')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * The ReccoBeats stand-in (`/v1/track`, `/v1/audio-features`, `/v1/track/{id}/audio-features`):
 * Spotify ids in, its own UUIDs, the ISRC and the Spotify href out; `coverage` of the world's
 * tracks are known to it; features are the world's truth with a small seeded error.
 */
export function reccoBeatsRoutes(world: World, coverage: number) {
  const known = (trackId: string) =>
    world.tracks.has(trackId) && unit(world, 0x2ecc0, trackId) < coverage;
  const byUuid = new Map<string, string>();
  const uuid = (trackId: string) => {
    const id = uuidOf(world, 0x2ecc1, trackId);
    byUuid.set(id, trackId);
    return id;
  };
  const href = (trackId: string) => `https://open.spotify.com/track/${trackId}`;
  const batch = (query: URLSearchParams): ProviderAnswer | string[] => {
    const ids = idsOf(query);
    if (ids.length === 0) return { status: 400, body: { error: 'ids is required' } };
    if (ids.length > RECCOBEATS_MAX_IDS)
      return { status: 400, body: { error: `at most ${RECCOBEATS_MAX_IDS} ids per request` } };
    if (ids.some((id) => !SPOTIFY_ID.test(id) && !UUID.test(id)))
      return { status: 400, body: { error: 'invalid id' } };
    return ids.map((id) => byUuid.get(id) ?? id).filter(known);
  };

  return (path: string, query: URLSearchParams): ProviderAnswer => {
    if (path === '/v1/track') {
      const ids = batch(query);
      if (!Array.isArray(ids)) return ids;
      return {
        status: 200,
        body: {
          content: ids.map((trackId) => {
            const track = world.tracks.get(trackId);
            return {
              id: uuid(trackId),
              trackTitle: track?.name ?? '',
              artists: (track?.artistIds ?? []).map((artistId) => ({
                id: uuidOf(world, 0x2ecc2, artistId),
                name: world.artists.get(artistId)?.name ?? '',
                href: `https://open.spotify.com/artist/${artistId}`,
              })),
              durationMs: track?.durationMs ?? 0,
              isrc: track?.isrc ?? null,
              href: href(trackId),
            };
          }),
        },
      };
    }
    if (path === '/v1/audio-features') {
      const ids = batch(query);
      if (!Array.isArray(ids)) return ids;
      return {
        status: 200,
        body: {
          content: ids.map((trackId) => ({
            id: uuid(trackId),
            href: href(trackId),
            ...measuredFeatures(world, trackId, world.tracks.get(trackId)!.features),
          })),
        },
      };
    }
    const single = /^\/v1\/track\/([^/]+)\/audio-features$/.exec(path);
    if (single !== null) {
      const trackId = byUuid.get(single[1] as string);
      if (trackId === undefined || !known(trackId))
        return { status: 404, body: { error: 'track not found' } };
      return {
        status: 200,
        body: {
          id: single[1],
          href: href(trackId),
          ...measuredFeatures(world, trackId, world.tracks.get(trackId)!.features),
        },
      };
    }
    return { status: 404, body: { error: 'not found' } };
  };
}
