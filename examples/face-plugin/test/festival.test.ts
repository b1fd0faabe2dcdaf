import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createFaceMapper,
  faceShapes,
  isFaceError,
  mapFace,
  toFaceString,
  type FaceProfile,
} from '@spoti/face';
import { renderFace, statsFromProfile } from '@spoti/face/render';
import { describe, expect, it } from 'vitest';
import { festivalPlugin } from '../src/index.js';

const OUT = fileURLToPath(new URL('../test-output/', import.meta.url));

const signal = (value: number) => ({ value, source: 'estimated' as const, confidence: 0.6 });

function profile(family: string, genre: string, achievements: string[] = []): FaceProfile {
  return {
    version: 1,
    period: { label: '2026', from: '2026-01-01T00:00:00Z', to: '2026-11-28T00:00:00Z' },
    timeZone: 'Europe/London',
    signals: {
      energy: signal(0.7),
      valence: signal(0.7),
      acousticness: signal(0.3),
      instrumentalness: signal(0.1),
      danceability: signal(0.6),
      intensity: signal(0.5),
      genreConsistency: signal(0.6),
      timeOfDayDiversity: signal(0.4),
      nightShare: signal(0.2),
      discovery: signal(0.3),
    },
    topGenre: { name: genre, family: family as never, share: 0.6 },
    genreFamilies: [{ family: family as never, share: 0.6 }],
    topArtists: [
      { id: '1', name: 'Sunset Strings', plays: 90, msPlayed: 9e6 },
      { id: '2', name: 'Field Notes', plays: 60, msPlayed: 6e6 },
      { id: '3', name: 'Night Bus', plays: 30, msPlayed: 3e6 },
    ],
    topTracks: [],
    hours: Array.from({ length: 24 }, () => 1 / 24),
    achievements: achievements.map((id) => ({ id, label: id, reachedAt: '2026-05-01T00:00:00Z' })),
    totals: {
      plays: 180,
      msPlayed: 180 * 3_600_000,
      uniqueTracks: 90,
      uniqueArtists: 40,
      days: 200,
    },
  } as FaceProfile;
}

describe('festival plugin', () => {
  const mapper = createFaceMapper({ plugins: [festivalPlugin] });

  it('maps the top genre family to a festival accessory with a reason', () => {
    const folk = mapper.map(profile('folk', 'indie folk'));
    expect(folk.params.a).toMatchObject({
      tag: 'flower-crown',
      value: 10,
      source: 'plugin',
      plugin: '@spoti/example-face-plugin/festival',
    });
    expect(folk.params.a.reason).toBe('At the festival, folk fans wear a flower crown.');
    const techno = mapper.map(profile('electronic', 'techno', ['hours-100']));
    expect(techno.params.a).toMatchObject({ tag: 'bucket-hat', value: 13 });
    expect(techno.params.a.reason).toContain('(in place of your earbuds)');
    expect(mapper.map(profile('metal', 'doom metal')).params.a.tag).toBe('bandana');
    // Families the festival has no accessory for keep the default mapping.
    expect(mapper.map(profile('classical', 'baroque')).params.a).toEqual(
      mapFace(profile('classical', 'baroque')).params.a,
    );
    expect(folk.plugins).toEqual(['@spoti/example-face-plugin/festival@1.0.0']);
  });

  it('the listener pin still wins', () => {
    expect(mapper.map(profile('folk', 'indie folk'), { pins: { a: 0 } }).params.a.tag).toBe('none');
  });

  it('adds a stage extra, a line-up target and the festival-pass overlay', () => {
    const face = mapper.map(profile('electronic', 'techno'));
    expect(face.extras['festival.stage']?.value).toBe('Techno Tent');
    expect(mapper.renderTarget(face, 'lineup', profile('electronic', 'techno'))).toBe(
      'TECHNO TENT: SUNSET STRINGS / FIELD NOTES / NIGHT BUS',
    );
    const shapes = faceShapes(face, { mapper });
    expect(shapes.at(-1)!.fill).toBe('#ffffff');
    expect(shapes.some((s) => s.fill === '#1db954')).toBe(true);
    expect(toFaceString(face)).toMatch(/a12/);
  });

  it('clashes are reported with the plugin name', () => {
    try {
      createFaceMapper({ plugins: [festivalPlugin, festivalPlugin] });
      expect.unreachable();
    } catch (e) {
      expect(isFaceError(e) && e.plugin).toBe('@spoti/example-face-plugin/festival');
    }
  });

  it('renders festival faces offline', async () => {
    mkdirSync(OUT, { recursive: true });
    for (const [family, genre] of [
      ['folk', 'indie folk'],
      ['electronic', 'techno'],
      ['rock', 'garage rock'],
    ] as const) {
      const p = profile(family, genre);
      const image = await renderFace(mapper.map(p), {
        mapper,
        size: 512,
        stats: statsFromProfile(p, { userName: `Festival ${family}`, generatedAt: '2026-11-28' }),
      });
      expect(image.width).toBe(512);
      writeFileSync(`${OUT}festival-${family}.png`, image.data);
    }
  });
});
