import type { Play } from '@spoti/catalog';
import { createWorld, type PersonaName, type World, type WorldUser } from '@spoti/mock';

/** A one-persona world and its user's plays as catalog Plays (test helper). */
export function personaPlays(
  persona: PersonaName,
  seed = 7,
  historyDays = 120,
): { world: World; user: WorldUser; plays: Play[]; now: number } {
  const world = createWorld({ seed, size: 'tiny', users: 1, personas: [persona], historyDays });
  const user = world.users.values().next().value as WorldUser;
  const now = world.startTimeMs;
  const plays = world.playsOf(user.id, now).map((p): Play => {
    const track = world.tracks.get(p.trackId);
    const album = track === undefined ? undefined : world.albums.get(track.albumId);
    const artistId = track?.artistIds[0] ?? '';
    return {
      userId: user.id,
      trackId: p.trackId,
      trackName: track?.name ?? '',
      artistIds: track?.artistIds ?? [],
      artistName: world.artists.get(artistId)?.name ?? '',
      albumId: album?.id ?? null,
      albumName: album?.name ?? null,
      endedAt: p.endedAtMs,
      msPlayed: p.msPlayed,
      skipped: p.skipped,
      reasonStart: p.reasonStart,
      reasonEnd: p.reasonEnd,
      shuffle: p.shuffle,
      offline: p.offline,
      offlineTimestamp: p.offlineTimestampMs === 0 ? null : p.offlineTimestampMs,
      platform: p.platform,
      source: 'api',
    };
  });
  return { world, user, plays, now };
}

/** Genre lookup of a world's artists by id (as Spotify's artist genres). */
export const worldGenres =
  (world: World) =>
  (artist: { id: string | null; name: string }): readonly string[] | undefined =>
    artist.id === null ? undefined : world.artists.get(artist.id)?.genres;
