import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderMockServer } from '@spoti/mock';
import {
  createEnricher,
  deezerProvider,
  isEnrichError,
  lastFmProvider,
  musicBrainzProvider,
  RECCOBEATS_BATCH_SIZE,
  reccoBeatsProvider,
} from '../src/index.js';
import { FAST, startServices, world } from './helpers.js';

let services: ProviderMockServer;
beforeAll(async () => {
  services = await startServices();
});
afterAll(() => services.close());
beforeEach(() => services.controls.reset());

const trackIds = [...world.tracks.keys()];
const ctx = { signal: undefined };

describe('reccoBeatsProvider', () => {
  it('returns Spotify-scale features close to the world truth, keyed by Spotify id', async () => {
    const provider = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
    const batch = trackIds.slice(0, RECCOBEATS_BATCH_SIZE).map((id) => ({ id }));
    const answer = await provider.fetch(batch, ctx);
    expect(answer.size).toBeGreaterThan(RECCOBEATS_BATCH_SIZE * 0.7);
    expect(answer.size).toBeLessThan(RECCOBEATS_BATCH_SIZE);
    for (const [id, features] of answer) {
      const truth = world.tracks.get(id)?.features;
      expect(truth).toBeDefined();
      expect(Math.abs(features.energy - (truth?.energy ?? -1))).toBeLessThanOrEqual(0.0301);
      expect(Math.abs(features.valence - (truth?.valence ?? -1))).toBeLessThanOrEqual(0.0301);
      expect(features.loudness).toBeTypeOf('number');
    }
    expect(services.controls.counts().reccobeats).toBe(1);
  });

  it('leaves out ids the service does not know', async () => {
    const provider = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
    const answer = await provider.fetch([{ id: '0000000000000000000000' }], ctx);
    expect(answer.size).toBe(0);
  });

  it('waits for Retry-After on 429 and retries', async () => {
    services.controls.script('reccobeats', [{ status: 429, retryAfterSeconds: 1 }]);
    const provider = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
    const answer = await provider.fetch([{ id: trackIds[0] as string }], ctx);
    expect(services.controls.counts().reccobeats).toBe(2);
    expect(answer.size).toBeLessThanOrEqual(1);
  });

  it('fails RATE_LIMITED at once when Retry-After is longer than allowed', async () => {
    services.controls.script('reccobeats', [{ status: 429, retryAfterSeconds: 3_600 }]);
    const provider = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
    const error = await provider.fetch([{ id: trackIds[0] as string }], ctx).catch((e) => e);
    expect(isEnrichError(error) && error.code).toBe('RATE_LIMITED');
    expect(isEnrichError(error) && error.retryAfterMs).toBe(3_600_000);
    expect(services.controls.counts().reccobeats).toBe(1);
  });

  it('retries 5xx and dropped connections, then gives up UNAVAILABLE', async () => {
    services.controls.script('reccobeats', [{ status: 502 }, { drop: true }]);
    const provider = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
    await expect(provider.fetch([{ id: trackIds[0] as string }], ctx)).resolves.toBeInstanceOf(Map);
    services.controls.reset();
    services.controls.down('reccobeats', 500);
    const error = await provider.fetch([{ id: trackIds[0] as string }], ctx).catch((e) => e);
    expect(isEnrichError(error) && error.code).toBe('UNAVAILABLE');
    expect(services.controls.counts().reccobeats).toBe(FAST.retries + 1);
  });

  it('does not retry a refusal', async () => {
    services.controls.script('reccobeats', [{ status: 403 }]);
    const provider = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
    const error = await provider.fetch([{ id: trackIds[0] as string }], ctx).catch((e) => e);
    expect(isEnrichError(error) && error.code).toBe('REFUSED');
    expect(services.controls.counts().reccobeats).toBe(1);
  });

  it('times out a slow answer and reports a malformed one', async () => {
    services.controls.script('reccobeats', [{ latencyMs: 800 }]);
    const slow = reccoBeatsProvider({
      baseUrl: services.reccoBeatsUrl,
      ...FAST,
      retries: 0,
      timeoutMs: 200,
    });
    const timeout = await slow.fetch([{ id: trackIds[0] as string }], ctx).catch((e) => e);
    expect(isEnrichError(timeout) && timeout.code).toBe('TIMEOUT');
    services.controls.script('reccobeats', [{ malformed: true }]);
    const provider = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
    const bad = await provider.fetch([{ id: trackIds[0] as string }], ctx).catch((e) => e);
    expect(isEnrichError(bad) && bad.code).toBe('BAD_RESPONSE');
  });

  it('stops waiting when the signal fires', async () => {
    services.controls.script('reccobeats', [{ status: 429, retryAfterSeconds: 2 }]);
    const provider = reccoBeatsProvider({ baseUrl: services.reccoBeatsUrl, ...FAST });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await provider
      .fetch([{ id: trackIds[0] as string }], { signal: controller.signal })
      .catch((e) => e);
    expect(isEnrichError(error) && error.code).toBe('ABORTED');
  });

  it('rejects bad options with INVALID_OPTIONS naming the field', () => {
    expect(() => reccoBeatsProvider({ baseUrl: 'ftp://example.invalid' })).toThrow(/baseUrl/);
    expect(() => reccoBeatsProvider({ timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});

describe('musicBrainzProvider', () => {
  const artists = [...world.artists.values()];

  it('finds artists by name and returns their genres, most voted first', async () => {
    const provider = musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST });
    let found = 0;
    for (const artist of artists.slice(0, 10)) {
      const answer = await provider.fetch([{ name: artist.name }], ctx);
      const genres = answer.get(artist.name)?.genres;
      if (genres === undefined) continue;
      found++;
      expect(genres).toEqual(artist.genres.map((g) => g.toLowerCase()));
    }
    expect(found).toBeGreaterThanOrEqual(8);
  });

  it('answers nothing for an unknown artist and escapes query syntax', async () => {
    const provider = musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST });
    const answer = await provider.fetch([{ name: 'No "Such" Band \\ (x)' }], ctx);
    expect(answer.size).toBe(0);
  });

  it('treats MusicBrainz 503 as a rate limit: waits and retries', async () => {
    services.controls.script('musicbrainz', [{ status: 503, retryAfterSeconds: 1 }]);
    const provider = musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST });
    const artist = artists[0];
    await provider.fetch([{ name: artist?.name ?? '' }], ctx);
    expect(services.controls.counts().musicbrainz).toBeGreaterThanOrEqual(2);
  });

  it('keeps to one request per second by default against the real limit', async () => {
    const strict = await startServices({ rateLimits: {} });
    try {
      const provider = musicBrainzProvider({ baseUrl: strict.musicBrainzUrl, retries: 0 });
      // Without retries, a single refusal (503) would throw: three or four requests all pass.
      await provider.fetch(
        [{ name: artists[0]?.name ?? '' }, { name: artists[1]?.name ?? '' }],
        ctx,
      );
      expect(strict.controls.counts().musicbrainz).toBeGreaterThanOrEqual(3);
    } finally {
      await strict.close();
    }
  });
});

describe('lastFmProvider', () => {
  const artists = [...world.artists.values()];
  const KEY = '0123456789abcdef0123456789abcdef';

  it('keeps the tags that name genres, heaviest first', async () => {
    const provider = lastFmProvider({ baseUrl: services.lastFmUrl, apiKey: KEY, ...FAST });
    let found = 0;
    for (const artist of artists.slice(0, 10)) {
      const genres = (await provider.fetch([{ name: artist.name }], ctx)).get(artist.name)?.genres;
      if (genres === undefined) continue;
      found++;
      expect(genres).not.toContain('seen live');
      expect(genres[0]).toBe(artist.genres[0]?.toLowerCase());
    }
    expect(found).toBeGreaterThanOrEqual(8);
  });

  it('reads Last.fm error bodies: unknown artist is no answer, a bad key a refusal without the key', async () => {
    const provider = lastFmProvider({ baseUrl: services.lastFmUrl, apiKey: KEY, ...FAST });
    expect((await provider.fetch([{ name: 'Nobody At All' }], ctx)).size).toBe(0);
    const wrongKey = 'not-a-key-but-secret';
    const refused = lastFmProvider({ baseUrl: services.lastFmUrl, apiKey: wrongKey, ...FAST });
    const error = await refused.fetch([{ name: artists[0]?.name ?? '' }], ctx).catch((e) => e);
    expect(isEnrichError(error) && error.code).toBe('REFUSED');
    expect(String(error.message)).not.toContain(wrongKey);
    expect(() => lastFmProvider({ apiKey: '' })).toThrow(/apiKey/);
  });

  it('takes over genres when MusicBrainz is down', async () => {
    services.controls.down('musicbrainz', 500);
    const result = await createEnricher({
      providers: [
        musicBrainzProvider({ baseUrl: services.musicBrainzUrl, ...FAST, retries: 0 }),
        lastFmProvider({ baseUrl: services.lastFmUrl, apiKey: KEY, ...FAST }),
      ],
    }).enrich({ artists: artists.slice(0, 5).map((a) => ({ name: a.name })) });
    expect(result.genresVia).toBe('Last.fm');
    expect(result.report.artists.withGenres).toBeGreaterThanOrEqual(4);
    expect(services.controls.counts().musicbrainz).toBe(1);
  });
});

describe('deezerProvider', () => {
  const artists = [...world.artists.values()].filter((a) => a.genres.length > 0);

  it("names the broad genre of an artist's albums", async () => {
    const provider = deezerProvider({ baseUrl: services.deezerUrl, ...FAST });
    let found = 0;
    for (const artist of artists.slice(0, 8)) {
      const genres = (await provider.fetch([{ name: artist.name }], ctx)).get(artist.name)?.genres;
      if (genres === undefined) continue;
      found++;
      expect(genres.length).toBeGreaterThan(0);
      expect(genres[0]).toMatch(/^[a-z/& -]+$/);
    }
    expect(found).toBeGreaterThanOrEqual(4);
    const calls = services.controls.counts().deezer;
    expect(calls).toBeLessThanOrEqual(8 + 17);
  });

  it('reads errors from a 200 body: no data is no answer, the quota a rate limit', async () => {
    const strict = await startServices({
      rateLimits: { deezer: { allowance: 1, windowMs: 60_000 } },
    });
    try {
      const provider = deezerProvider({ baseUrl: strict.deezerUrl, ...FAST });
      expect((await provider.fetch([{ name: 'Nobody At All' }], ctx)).size).toBe(0);
      const error = await provider.fetch([{ name: artists[0]?.name ?? '' }], ctx).catch((e) => e);
      expect(isEnrichError(error) && error.code).toBe('RATE_LIMITED');
      expect(isEnrichError(error) && error.retryAfterMs).toBe(5_000);
    } finally {
      await strict.close();
    }
  });
});
