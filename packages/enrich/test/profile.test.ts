import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildListeningProfile, importSpotifyExport, type PlayIndex } from '@spoti/analytics';
import { mapFace } from '@spoti/face';
import { type ProviderMockServer, startProviderMocks, writeDataExport } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnricher, musicBrainzProvider, reccoBeatsProvider } from '../src/index.js';
import { FAST } from './helpers.js';
import { keysOf, unknownFeatures } from './measure.js';

const SEED = 7;
let services: ProviderMockServer;
let dir: string;
let plays: PlayIndex;

beforeAll(async () => {
  services = await startProviderMocks({
    seed: SEED,
    rateLimits: { reccobeats: null, musicbrainz: null, lastfm: null },
  });
  dir = await mkdtemp(join(tmpdir(), 'enrich-export-'));
  const out = join(dir, 'my_spotify_data.zip');
  await writeDataExport({ seed: SEED, persona: 'eclectic-explorer', plays: 3_000, out });
  plays = (await importSpotifyExport(out, { userId: 'export' })).plays;
});
afterAll(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a data export, enriched end to end over HTTP', () => {
  it('has six unknown face features without enrichment, at most one with it', async () => {
    const plain = buildListeningProfile(plays, { timeZone: 'UTC' }).profile;
    expect(unknownFeatures(mapFace(plain))).toEqual(['e', 'm', 'n', 'h', 'y', 'b']);

    const enriched = await createEnricher({
      providers: [
        reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST }),
        musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST }),
      ],
    }).enrich(keysOf(plays));
    const { profile } = buildListeningProfile(plays, {
      timeZone: 'UTC',
      features: enriched.features,
      genresOf: enriched.genresOf,
      ...(enriched.genresVia === undefined ? {} : { genresVia: enriched.genresVia }),
    });
    const face = mapFace(profile);
    expect(unknownFeatures(face).length).toBeLessThanOrEqual(1);
    expect(profile.signals.energy.source).toBe('enriched');
    expect(profile.signals.energy.via).toBe('ReccoBeats');
    expect(profile.signals.energy.basis?.tracks).toBe(enriched.report.tracks.withFeatures);
    expect(face.params.e.reason).toMatch(
      /\d+% from audio features of \d+ of your \d+ tracks, via ReccoBeats/,
    );
    expect(face.params.h.reason).toMatch(/genres via MusicBrainz/);
  });
});
