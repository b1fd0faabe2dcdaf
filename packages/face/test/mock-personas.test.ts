// Faces of the mock's synthetic listeners, end to end: world -> plays -> @spoti/analytics profile
// -> face. Checks that each persona's face tells its story, and saves the images as artifacts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type AudioFeatureValues,
  buildListeningProfile,
  featureSourceFromMap,
} from '@spoti/analytics';
import type { Play } from '@spoti/catalog';
import { type PersonaName, type WorldUser, createWorld } from '@spoti/mock';
import { describe, expect, it } from 'vitest';
import { type Face, type FaceProfile, mapFace } from '../src/index.js';
import { renderFace, statsFromProfile } from '../src/render/index.js';

const OUT = fileURLToPath(new URL('../test-output/artifacts/', import.meta.url));

function personaProfile(persona: PersonaName): { profile: FaceProfile; name: string } {
  const world = createWorld({
    seed: 42,
    size: 'tiny',
    users: 1,
    personas: [persona],
    historyDays: 90,
  });
  const user = world.users.values().next().value as WorldUser;
  const features = new Map<string, AudioFeatureValues>();
  const plays = world.playsOf(user.id, world.startTimeMs).map((p): Play => {
    const track = world.tracks.get(p.trackId)!;
    features.set(track.id, track.features);
    return {
      userId: user.id,
      trackId: p.trackId,
      trackName: track.name,
      artistIds: track.artistIds,
      artistName: world.artists.get(track.artistIds[0]!)?.name ?? '',
      albumId: track.albumId,
      albumName: world.albums.get(track.albumId)?.name ?? null,
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
  const { profile } = buildListeningProfile(plays, {
    timeZone: user.timezone,
    now: world.startTimeMs,
    topLimit: 3,
    features: featureSourceFromMap('supplied', features),
    genresOf: (a) => (a.id === null ? undefined : world.artists.get(a.id)?.genres),
  });
  return { profile, name: user.displayName };
}

const faces = new Map<PersonaName, { face: Face; profile: FaceProfile; name: string }>();
for (const persona of [
  'night-owl',
  'morning-acoustic',
  'eclectic-explorer',
  'heavy-pop',
  'jazz-commuter',
  'weekend-raver',
] as const) {
  const { profile, name } = personaProfile(persona);
  faces.set(persona, { face: mapFace(profile), profile, name });
}
const tag = (p: PersonaName, key: 'e' | 'm' | 'n' | 'h' | 'y' | 'b') =>
  faces.get(p)!.face.params[key].tag;

describe('faces of the mock personas', () => {
  it('tell each persona apart the way the mapping promises', () => {
    expect(tag('night-owl', 'h')).toBe('long'); // metal
    expect(['focused', 'intense']).toContain(tag('night-owl', 'b'));
    expect(['wide', 'bright']).toContain(tag('night-owl', 'e'));
    expect(tag('heavy-pop', 'h')).toBe('bob'); // pop
    expect(['unusual', 'curved']).toContain(tag('eclectic-explorer', 'n')); // spread over every family
    expect(['straight', 'button']).toContain(tag('heavy-pop', 'n'));
    expect(['relaxed', 'calm']).toContain(tag('morning-acoustic', 'e'));
    expect(['round', 'big-round']).toContain(tag('morning-acoustic', 'y'));
    expect(['soft', 'flat']).toContain(tag('morning-acoustic', 'b'));
    const faceStrings = new Set(
      [...faces.values()].map((f) =>
        JSON.stringify(Object.values(f.face.params).map((p) => p.value)),
      ),
    );
    expect(faceStrings.size).toBe(faces.size);
  });

  it('renders every persona (artifacts for a person to check)', async () => {
    mkdirSync(OUT, { recursive: true });
    for (const [persona, { face, profile, name }] of faces) {
      const stats = statsFromProfile(profile, { userName: name, generatedAt: '2026-11-01' });
      const image = await renderFace(face, { stats, size: 512 });
      expect(image.width).toBe(512);
      writeFileSync(`${OUT}mock-${persona}.png`, image.data);
    }
  });
});
