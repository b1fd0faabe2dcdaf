// Demo step: a demo listener's face. The mock generates the listener's history, @spoti/analytics
// computes the listening profile, @spoti/face maps it to a face and renders it offline.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AudioFeatureValues,
  buildListeningProfile,
  featureSourceFromMap,
} from '@spoti/analytics';
import type { Play } from '@spoti/catalog';
import { PARAM_KEYS, mapFace, toNotionFaceUrl } from '@spoti/face';
import { renderFace, statsFromProfile } from '@spoti/face/render';
import { type PersonaName, type WorldUser, createWorld } from '@spoti/mock';

/** What the face step needs from the demo. */
export interface FaceDemoContext {
  /** Folder the images are written to (created if missing). */
  readonly outDir: string;
  /** Seed of the demo listener's world (default 42). */
  readonly seed?: number;
  /** The listener persona (default `night-owl`). */
  readonly persona?: PersonaName;
}

/** Generates a demo listener, computes the profile and writes a square and a banner face. */
export async function runFaceStep(ctx: FaceDemoContext): Promise<void> {
  const persona = ctx.persona ?? 'night-owl';
  const world = createWorld({
    seed: ctx.seed ?? 42,
    size: 'tiny',
    users: 1,
    personas: [persona],
    historyDays: 120,
  });
  const user = world.users.values().next().value as WorldUser;
  const now = world.startTimeMs;
  const features = new Map<string, AudioFeatureValues>();
  const plays = world.playsOf(user.id, now).map((p): Play => {
    const track = world.tracks.get(p.trackId);
    const album = track === undefined ? undefined : world.albums.get(track.albumId);
    if (track !== undefined) features.set(track.id, track.features);
    return {
      userId: user.id,
      trackId: p.trackId,
      trackName: track?.name ?? '',
      artistIds: track?.artistIds ?? [],
      artistName: world.artists.get(track?.artistIds[0] ?? '')?.name ?? '',
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
  const { profile } = buildListeningProfile(plays, {
    timeZone: user.timezone,
    now,
    period: 'medium_term',
    topLimit: 3,
    features: featureSourceFromMap('supplied', features),
    genresOf: (artist) => (artist.id === null ? undefined : world.artists.get(artist.id)?.genres),
  });
  const face = mapFace(profile);
  const stats = statsFromProfile(profile, {
    userName: user.displayName,
    generatedAt: new Date(now),
  });
  await mkdir(ctx.outDir, { recursive: true });
  const square = join(ctx.outDir, 'face-square.png');
  const banner = join(ctx.outDir, 'face-banner.png');
  await writeFile(square, (await renderFace(face, { stats, watermark: 'spoti' })).data);
  await writeFile(banner, (await renderFace(face, { layout: 'banner', stats })).data);

  console.log(`\nFace of ${user.displayName} (${persona}, ${plays.length} plays, last 6 months)`);
  console.log(`  ${toNotionFaceUrl(face)}`);
  for (const key of PARAM_KEYS) {
    const p = face.params[key];
    console.log(`  ${p.name.padEnd(11)} ${p.tag.padEnd(13)} ${p.reason}`);
  }
  console.log(`  Square: ${square}`);
  console.log(`  Banner: ${banner}`);
}
