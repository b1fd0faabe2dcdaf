import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderMockServer } from '@spoti/mock';
import {
  createEnricher,
  createMemoryCache,
  defineEnrichmentProvider,
  type EnrichProgress,
  isEnrichError,
  musicBrainzProvider,
  reccoBeatsProvider,
} from '../src/index.js';
import { FAST, startServices, world } from './helpers.js';

let services: ProviderMockServer;
beforeAll(async () => {
  services = await startServices();
});
afterAll(() => services.close());
beforeEach(() => services.controls.reset());

const tracks = [...world.tracks.values()].slice(0, 120).map((t) => ({ id: t.id }));
const artists = [...world.artists.values()].slice(0, 12).map((a) => ({ name: a.name }));

/** A features provider that answers every track with fixed values. */
const constant = (name: string, energy: number) =>
  defineEnrichmentProvider({
    kind: 'features',
    name,
    confidence: 0.5,
    batchSize: 100,
    async fetch(keys) {
      return new Map(
        keys.map((k) => [
          k.id,
          { energy, valence: 0.5, acousticness: 0.5, instrumentalness: 0.1, danceability: 0.5 },
        ]),
      );
    },
  });

describe('createEnricher', () => {
  it('fills features and genres, names the service per value, and reports coverage', async () => {
    const progress: EnrichProgress[] = [];
    const enricher = createEnricher({
      providers: [
        reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST }),
        musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST }),
      ],
      onProgress: (p) => progress.push(p),
    });
    const result = await enricher.enrich({ tracks, artists });
    const first = tracks.find((t) => result.features.get({ ...t, name: '', artistName: '' }));
    expect(first).toBeDefined();
    const value = result.features.get({ id: first?.id ?? null, name: '', artistName: '' });
    expect(value?.via).toBe('ReccoBeats');
    expect(value?.confidence).toBe(0.9);
    expect(result.features.source).toBe('enriched');
    expect(result.report.tracks.withFeatures).toBeGreaterThan(100);
    expect(result.report.tracks.withFeatures).toBeLessThan(120);
    expect(result.genresVia).toBe('MusicBrainz');
    const artist = [...world.artists.values()][0];
    expect(result.genresOf({ name: artist?.name.toUpperCase() ?? '' })).toEqual(
      artist?.genres.map((g) => g.toLowerCase()),
    );
    // 120 tracks in batches of 40.
    expect(result.report.providers[0]).toMatchObject({
      name: 'ReccoBeats',
      batches: 3,
      asked: 120,
    });
    expect(progress.at(-1)).toMatchObject({ kind: 'genres', done: 12, total: 12 });
  });

  it('asks for a track once: a second run reads everything, misses included, from the cache', async () => {
    const cache = createMemoryCache();
    const make = () =>
      createEnricher({
        providers: [
          reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST }),
          musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST }),
        ],
        cache,
      });
    const cold = await make().enrich({ tracks, artists });
    const calls = services.controls.counts();
    expect(calls.reccobeats).toBe(3);
    expect(calls.musicbrainz).toBeGreaterThanOrEqual(12);
    const warm = await make().enrich({ tracks, artists });
    expect(services.controls.counts()).toEqual(calls);
    expect(warm.report.tracks.withFeatures).toBe(cold.report.tracks.withFeatures);
    expect(warm.report.providers[0]?.fromCache).toBe(120);
  });

  it('refetches answers older than maxAgeMs', async () => {
    const cache = createMemoryCache();
    let now = 1_000_000;
    const make = () =>
      createEnricher({
        providers: [reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST })],
        cache,
        maxAgeMs: 1_000,
        now: () => now,
      });
    await make().enrich({ tracks: tracks.slice(0, 10) });
    now += 2_000;
    await make().enrich({ tracks: tracks.slice(0, 10) });
    expect(services.controls.counts().reccobeats).toBe(2);
  });

  it('degrades to the next provider when one is down, and caches nothing for the failed one', async () => {
    services.controls.down('reccobeats', 503);
    const warnings: string[] = [];
    const cache = createMemoryCache();
    const enricher = createEnricher({
      providers: [
        reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST, retries: 1 }),
        constant('Backup', 0.42),
      ],
      cache,
      logger: { warn: (m) => warnings.push(m) },
    });
    const result = await enricher.enrich({ tracks });
    expect(result.report.tracks.withFeatures).toBe(120);
    expect(
      result.features.get({ id: tracks[0]?.id ?? null, name: '', artistName: '' }),
    ).toMatchObject({
      energy: 0.42,
      via: 'Backup',
    });
    expect(result.report.providers[0]?.failure?.code).toBe('UNAVAILABLE');
    expect(warnings.join('\n')).toMatch(/ReccoBeats failed \(UNAVAILABLE\)/);
    expect((await cache.getMany('features:ReccoBeats', [tracks[0]?.id ?? ''])).size).toBe(0);
  });

  it('never fails the whole run: everything down leaves the values to the genre priors', async () => {
    services.controls.down('reccobeats', 403);
    services.controls.down('musicbrainz', 500);
    const enricher = createEnricher({
      providers: [
        reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST }),
        musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST, retries: 0 }),
      ],
    });
    const result = await enricher.enrich({ tracks, artists });
    expect(result.report.tracks.withFeatures).toBe(0);
    expect(result.genresVia).toBeUndefined();
    expect(result.report.providers.map((p) => p.failure?.code)).toEqual(['REFUSED', 'UNAVAILABLE']);
  });

  it('keeps an artist’s own genres and asks providers only for the others', async () => {
    const enricher = createEnricher({
      providers: [musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST })],
    });
    const [a, b] = artists;
    const result = await enricher.enrich({
      artists: [{ name: a?.name ?? '', genres: ['bossa nova'] }, { name: b?.name ?? '' }],
    });
    expect(result.genresOf({ name: a?.name ?? '' })).toEqual(['bossa nova']);
    expect(result.report.providers[0]?.asked).toBe(1);
  });

  it('skips hostile input instead of sending it', async () => {
    const enricher = createEnricher({ providers: [constant('Const', 0.1)] });
    const result = await enricher.enrich({
      tracks: [
        { id: '../../etc/passwd' },
        { id: 'x'.repeat(10_000) },
        { id: 42 as unknown as string },
      ],
      artists: [
        { name: '   ' },
        { name: null as unknown as string },
        { name: 'a'.repeat(5_000) },
        { name: 'bell\u0007' },
      ],
    });
    expect(result.report.tracks.total).toBe(0);
    expect(result.report.artists.total).toBe(0);
  });

  it('one unsearchable name does not switch MusicBrainz off for the others', async () => {
    services.controls.script('musicbrainz', [{ status: 400 }]);
    const result = await createEnricher({
      providers: [musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST })],
    }).enrich({ artists: artists.slice(0, 4) });
    expect(result.report.providers[0]?.failure).toBeUndefined();
    expect(result.report.artists.withGenres).toBeGreaterThanOrEqual(2);
  });

  it('survives a cache that throws, asking the services instead', async () => {
    const warnings: string[] = [];
    const broken = {
      getMany: async () => {
        throw new Error('disk on fire');
      },
      setMany: async () => {
        throw new TypeError('still on fire');
      },
    };
    const result = await createEnricher({
      providers: [constant('Const', 0.3)],
      cache: broken,
      logger: { warn: (m) => warnings.push(m) },
    }).enrich({ tracks: tracks.slice(0, 5) });
    expect(result.report.tracks.withFeatures).toBe(5);
    expect(warnings.join('\n')).toMatch(
      /cache read failed[\s\S]*cache write failed.*still on fire/,
    );
  });

  it('stops on abort with ABORTED', async () => {
    services.controls.script('reccobeats', [{ latencyMs: 500 }]);
    const enricher = createEnricher({
      providers: [reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST })],
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await enricher.enrich({ tracks }, { signal: controller.signal }).catch((e) => e);
    expect(isEnrichError(error) && error.code).toBe('ABORTED');
  });

  it('validates providers: definitions, duplicates, and options', () => {
    expect(() =>
      defineEnrichmentProvider({
        kind: 'features',
        name: '',
        confidence: 2,
        batchSize: 0,
        fetch: async () => new Map(),
      }),
    ).toThrow(/name.*confidence.*batchSize|INVALID/s);
    try {
      defineEnrichmentProvider({ kind: 'colours' } as never);
    } catch (error) {
      expect(isEnrichError(error) && error.code).toBe('INVALID_PROVIDER');
    }
    expect(() => createEnricher({ providers: [constant('A', 1), constant('A', 0)] })).toThrow(
      /given twice/,
    );
    expect(() => createEnricher({ providers: [{} as never] })).toThrow(/defineEnrichmentProvider/);
    expect(() => createEnricher({ providers: [], maxAgeMs: -5 })).toThrow(/maxAgeMs/);
  });
});
