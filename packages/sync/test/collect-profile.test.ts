import {
  type MeasuredFeatures,
  buildListeningProfile,
  estimateFeaturesFromGenres,
  featureSourceFromMap,
  listeningProfileSchema,
} from '@spoti/analytics';
import { type CatalogStore, type Play, createMemoryStore, playFromSpotify } from '@spoti/catalog';
import { isSpotifyRateLimitError } from '@spoti/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CollectedProfile,
  createMemoryProfileSourcesCache,
  type MemoryProfileSourcesCache,
  type ProfileEnricher,
  collectListeningProfile,
  isSyncError,
} from '../src/index.js';
import { DAY, type Harness, MINUTE, harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TZ = 'Europe/Berlin';

/**
 * Stores the user's history older than the last 50 plays as imported plays, and the artists of
 * every other track with their genres (as an earlier enrichment would have), so genres are known
 * for part of the plays whatever the API serves.
 */
async function seedStore(hh: Harness, store: CatalogStore): Promise<Play[]> {
  const truth = hh.mock.controls.truth.plays(hh.userId).filter((p) => p.msPlayed >= 30_000);
  const world = hh.mock.world;
  const older = truth.slice(0, Math.max(0, truth.length - 50));
  const plays: Play[] = older.map((p) => {
    const track = world.tracks.get(p.trackId);
    const artist = world.artists.get(track?.artistIds[0] ?? '');
    return {
      userId: hh.userId,
      trackId: p.trackId,
      trackName: track?.name ?? '',
      artistIds: [...(track?.artistIds ?? [])],
      artistName: artist?.name ?? '',
      albumId: track?.albumId ?? null,
      albumName: world.albums.get(track?.albumId ?? '')?.name ?? null,
      endedAt: p.endedAtMs,
      msPlayed: p.msPlayed,
      skipped: null,
      reasonStart: null,
      reasonEnd: null,
      shuffle: null,
      offline: null,
      offlineTimestamp: null,
      platform: null,
      source: 'export',
    };
  });
  const artistIds = [...new Set(plays.flatMap((p) => p.artistIds))].sort();
  const now = hh.mock.controls.clock.now();
  await store.upsertArtists(
    artistIds.map((id, i) => {
      const a = world.artists.get(id);
      return {
        id,
        name: a?.name ?? id,
        genres: i % 2 === 0 ? [...(a?.genres ?? [])] : [],
        ownerUserId: null,
        imageUrl: null,
        addedAt: now,
      };
    }),
  );
  await store.appendPlays(plays);
  return plays;
}

async function collect(
  hh: Harness,
  store: CatalogStore,
  extra: { cache?: MemoryProfileSourcesCache; now?: number; period?: 'short_term' | 'all' } = {},
): Promise<CollectedProfile> {
  return collectListeningProfile({
    client: hh.client,
    store,
    userId: hh.userId,
    timeZone: TZ,
    period: extra.period ?? 'short_term',
    now: extra.now ?? hh.mock.controls.clock.now(),
    cache: extra.cache,
  });
}

describe.each(['development-2026', 'extended'] as const)('collectListeningProfile (%s)', (mode) => {
  it('stays within the call budget cold and makes no call warm', async () => {
    h = await harness({ profile: mode, persona: 'heavy-pop' });
    const store = createMemoryStore();
    await seedStore(h, store);
    const cache = createMemoryProfileSourcesCache();
    const served = () => h?.mock.controls.requests.counts().total ?? 0;
    const before = served();
    const cold = await collect(h, store, { cache });
    const coldServed = served() - before;
    expect(cold.fromCache).toBe(false);
    expect(cold.calls).toBe(coldServed);
    if (mode === 'development-2026') {
      expect(cold.calls).toBeLessThanOrEqual(8);
      expect(cold.accessLevel).toBe('development');
    } else {
      expect(cold.calls).toBeGreaterThan(8);
      expect(cold.calls).toBeLessThanOrEqual(12);
    }
    // Every period is warm from the same fetch within the TTL.
    const later = h.mock.controls.clock.now() + 10 * MINUTE;
    for (const period of ['short_term', 'all'] as const) {
      const warm = await collect(h, store, { cache, now: later, period });
      expect(warm.fromCache).toBe(true);
      expect(warm.calls).toBe(0);
    }
    expect(served() - before).toBe(coldServed);
    // Past the TTL (15 minutes by default) it fetches again.
    const expired = await collect(h, store, { cache, now: later + 6 * MINUTE });
    expect(expired.fromCache).toBe(false);
    // (The client's own HTTP cache may answer some of them: count what reached the server.)
    expect(expired.calls).toBe(served() - before - coldServed);
    expect(expired.calls).toBeGreaterThanOrEqual(8);
  });

  it('returns a profile that validates and agrees with analytics on the same plays', async () => {
    h = await harness({ profile: mode, persona: 'night-owl' });
    const store = createMemoryStore();
    await seedStore(h, store);
    const result = await collect(h, store, { period: 'all' });
    expect(listeningProfileSchema.safeParse(result.profile).success).toBe(true);

    // The same plays (stored + recently played) through analytics, with the genres the
    // collector could know: stored artists' genres (fetched artists only add more).
    const stored = await store.listPlays({ userId: h.userId });
    const page = await h.client.getRecentlyPlayed({ limit: 50 });
    const recent = page.items.map((i) => ({
      userId: h?.userId ?? '',
      trackId: i.track.id,
      trackName: i.track.name,
      artistIds: i.track.artists.map((a) => a.id),
      artistName: i.track.artists[0]?.name ?? '',
      albumId: i.track.album.id,
      albumName: i.track.album.name,
      endedAt: Date.parse(i.played_at),
      msPlayed: i.track.duration_ms,
      skipped: null,
      reasonStart: null,
      reasonEnd: null,
      shuffle: null,
      offline: null,
      offlineTimestamp: null,
      platform: null,
      source: 'api' as const,
    }));
    const { profile: expected } = buildListeningProfile([...stored, ...recent], {
      timeZone: TZ,
      period: 'all',
      now: h.mock.controls.clock.now(),
      topLimit: 10,
    });
    const got = result.profile;
    expect(got.period).toEqual(expected.period);
    expect(got.totals).toEqual(expected.totals);
    expect(got.hours).toEqual(expected.hours);
    expect(got.achievements).toEqual(expected.achievements);
    for (const key of ['timeOfDayDiversity', 'nightShare', 'discovery'] as const) {
      expect(got.signals[key]).toEqual(expected.signals[key]);
    }
    // Play-ranked lists are analytics' own (the history has more than 10 artists and tracks).
    expect(got.topArtists).toEqual(expected.topArtists);
    expect(got.topTracks).toEqual(expected.topTracks);
    expect(result.plays).toBe(expected.totals.plays);
  });

  it('states the source and confidence of every signal honestly', async () => {
    h = await harness({ profile: mode, persona: 'heavy-pop' });
    const store = createMemoryStore();
    await seedStore(h, store);
    const { profile } = await collect(h, store);
    const { energy, valence, acousticness, instrumentalness, danceability, intensity } =
      profile.signals;
    for (const s of [energy, valence, acousticness, instrumentalness, danceability, intensity]) {
      if (mode === 'extended') {
        // Audio features measured for the most listened tracks: Spotify's, well covered.
        expect(s.source).toBe('spotify');
        expect(s.confidence).toBeGreaterThan(0.5);
      } else {
        // No audio features in Development Mode: genre priors only, never above 0.5.
        expect(s.source).toBe('estimated');
        expect(s.confidence).toBeGreaterThan(0);
        expect(s.confidence).toBeLessThanOrEqual(0.5);
      }
    }
    for (const key of [
      'genreConsistency',
      'timeOfDayDiversity',
      'nightShare',
      'discovery',
    ] as const)
      expect(profile.signals[key].source).toBe('history');
  });
});

describe('collectListeningProfile: thin history (development-2026)', () => {
  it('falls back to the genres of Spotify top artists, says so, and fills the top lists', async () => {
    h = await harness({ persona: 'jazz-commuter' });
    // An empty store: only the 50 recently played plays; no artist genres stored.
    const store = createMemoryStore();
    const result = await collect(h, store);
    const { profile, fromTopLists } = result;
    expect(listeningProfileSchema.safeParse(profile).success).toBe(true);
    const top = await h.client.getTopArtists({ timeRange: 'short_term', limit: 50 });
    const withGenres = top.items.filter((a) => (a.genres ?? []).length > 0);
    expect(withGenres.length).toBeGreaterThan(0);
    for (const key of fromTopLists.signals) {
      expect(profile.signals[key].source).toBe('estimated');
      expect(profile.signals[key].confidence).toBeLessThanOrEqual(0.6 * 0.5);
    }
    // Appended top-list entries are marked as unheard in the history (0 plays).
    const appended = profile.topArtists.slice(profile.topArtists.length - fromTopLists.topArtists);
    for (const a of appended) expect(a).toMatchObject({ plays: 0, msPlayed: 0 });
    expect(profile.topArtists.length).toBeLessThanOrEqual(10);
  });

  it('takes each feature signal from whichever of history and top list is more certain', async () => {
    h = await harness({ persona: 'heavy-pop' });
    const hh = h;
    const store = createMemoryStore();
    // The only stored plays are of an artist nobody knows genres for.
    await store.appendPlays(
      Array.from({ length: 5 }, (_, i) => ({
        userId: hh.userId,
        trackId: null,
        trackName: `Untitled ${i}`,
        artistIds: [],
        artistName: 'Nobody Known',
        albumId: null,
        albumName: null,
        endedAt: hh.mock.controls.clock.now() - (i + 1) * DAY,
        msPlayed: 180_000,
        skipped: null,
        reasonStart: null,
        reasonEnd: null,
        shuffle: null,
        offline: null,
        offlineTimestamp: null,
        platform: null,
        source: 'export' as const,
      })),
    );
    const now = hh.mock.controls.clock.now();
    const { profile, fromTopLists } = await collect(hh, store, { now });

    // Recompute on our own: analytics over the same plays with the fetched artists' genres ...
    const genres = new Map<string, readonly string[]>();
    for (const range of ['short_term', 'medium_term', 'long_term'] as const) {
      const page = await hh.client.getTopArtists({ timeRange: range, limit: 50 });
      for (const a of page.items) if ((a.genres ?? []).length > 0) genres.set(a.id, a.genres ?? []);
    }
    const recent = (await hh.client.getRecentlyPlayed({ limit: 50 })).items.map((i) =>
      playFromSpotify(i, hh.userId),
    );
    const stored = await store.listPlays({ userId: hh.userId });
    const { profile: history } = buildListeningProfile([...stored, ...recent], {
      timeZone: TZ,
      period: 'short_term',
      now,
      genresOf: (a) => (a.id === null ? undefined : genres.get(a.id)),
    });
    // ... and the rank-weighted genre estimate of the short-term top artists.
    const top = (await hh.client.getTopArtists({ timeRange: 'short_term', limit: 50 })).items;
    let total = 0;
    let covered = 0;
    let confidence = 0;
    let energy = 0;
    for (const [rank, artist] of top.entries()) {
      const weight = 1 / (rank + 1);
      total += weight;
      const estimate = estimateFeaturesFromGenres(genres.get(artist.id) ?? []);
      if (estimate === null) continue;
      covered += weight;
      confidence += weight * estimate.confidence;
      energy += weight * estimate.features.energy;
    }
    expect(covered).toBeGreaterThan(0);
    const tasteConfidence = Math.round(((0.6 * confidence) / total) * 1e4) / 1e4;
    const fromTop = tasteConfidence > history.signals.energy.confidence;
    expect(fromTopLists.signals.includes('energy')).toBe(fromTop);
    if (fromTop) {
      expect(profile.signals.energy).toEqual({
        value: Math.round((energy / covered) * 1e4) / 1e4,
        source: 'estimated',
        confidence: tasteConfidence,
      });
    } else {
      expect(profile.signals.energy).toEqual(history.signals.energy);
    }
    for (const key of ['energy', 'valence', 'intensity'] as const) {
      expect(profile.signals[key].source).toBe('estimated');
      expect(profile.signals[key].confidence).toBeGreaterThanOrEqual(
        history.signals[key].confidence,
      );
    }
  });
});

describe('collectListeningProfile: limits and bad input', () => {
  it('surfaces the daily quota as the client rate-limit error with resumeAt', async () => {
    h = await harness({ quota: { daily: 3 } });
    const store = createMemoryStore();
    const cache = createMemoryProfileSourcesCache();
    const now = h.mock.controls.clock.now();
    const error = await collect(h, store, { cache }).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error)).toBe(true);
    if (!isSpotifyRateLimitError(error)) return;
    expect(error.scope).toBe('quota');
    expect(error.resumeAt).toBeGreaterThan(now);
    // Nothing half-fetched was cached.
    expect(cache.get(h.userId)).toBeUndefined();
  });

  it('surfaces a long Retry-After as the client rate-limit error with resumeAt', async () => {
    h = await harness({ maxRetryAfterMs: 60_000 });
    h.mock.controls.faults.script([{ status: 429, retryAfterSeconds: 3_600 }]);
    const now = h.mock.controls.clock.now();
    const error = await collect(h, createMemoryStore()).catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error)).toBe(true);
    if (!isSpotifyRateLimitError(error)) return;
    expect(error.scope).toBe('window');
    expect(error.resumeAt).toBeGreaterThanOrEqual(now + 3_600_000);
  });

  it('rejects bad options with a typed error naming the field, before any call', async () => {
    h = await harness();
    const store = createMemoryStore();
    const base = {
      client: h.client,
      store,
      userId: h.userId,
      timeZone: TZ,
      period: 'short_term' as const,
      now: h.mock.controls.clock.now(),
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ userId: '' }, 'userId'],
      [{ now: Number.NaN }, 'now'],
      [{ topLimit: 0 }, 'topLimit'],
      [{ cacheTtlMs: -1 }, 'cacheTtlMs'],
      [{ cache: {} }, 'cache'],
      [{ store: null }, 'store'],
      [{ period: 42 }, 'period'],
    ];
    for (const [patch, field] of cases) {
      const error = await collectListeningProfile({ ...base, ...patch } as never).catch(
        (e: unknown) => e,
      );
      expect(isSyncError(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'INVALID_OPTIONS',
        message: expect.stringContaining(field),
      });
    }
    const zone = await collectListeningProfile({ ...base, timeZone: 'Mars/Olympus' }).catch(
      (e: unknown) => e,
    );
    expect(zone).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('timeZone'),
    });
    const year = await collectListeningProfile({ ...base, period: '12' as never }).catch(
      (e: unknown) => e,
    );
    expect(year).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('period'),
    });
    expect(h.mock.controls.requests.counts().total ?? 0).toBe(0);
  });

  it('treats a damaged cache entry as a miss and replaces it', async () => {
    h = await harness();
    const store = createMemoryStore();
    const cache = createMemoryProfileSourcesCache();
    const now = h.mock.controls.clock.now();
    cache.set(h.userId, { fetchedAt: now, calls: 0, topArtists: 'nope' } as never);
    const result = await collect(h, store, { cache, now });
    expect(result.fromCache).toBe(false);
    expect(result.calls).toBe(8);
    expect(cache.get(h.userId)?.topArtists.short_term.length).toBeGreaterThan(0);
    const again = await collect(h, store, { cache, now });
    expect(again).toMatchObject({ fromCache: true, calls: 0 });
    expect(again.profile).toEqual(result.profile);
  });

  it('shares one fetch between concurrent cold collections of the same user', async () => {
    h = await harness();
    const store = createMemoryStore();
    const cache = createMemoryProfileSourcesCache();
    const hh = h;
    const results = await Promise.all(
      (['short_term', 'all', 'short_term'] as const).map((period) =>
        collect(hh, store, { cache, period }),
      ),
    );
    expect(results.map((r) => r.calls).reduce((a, b) => a + b, 0)).toBe(8);
    expect(hh.mock.controls.requests.counts().total).toBe(8);
    expect(results.filter((r) => !r.fromCache)).toHaveLength(1);
    expect(results[2]?.profile).toEqual(results[0]?.profile);
  });

  it('reports a failing store as STORE_FAILURE', async () => {
    h = await harness();
    const store = createMemoryStore();
    const broken = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'listPlays') return async () => Promise.reject(new Error('disk gone'));
        return Reflect.get(target, prop, receiver);
      },
    });
    await expect(collect(h, broken)).rejects.toMatchObject({ code: 'STORE_FAILURE' });
  });
});

describe('collectListeningProfile with an enricher', () => {
  it('uses enriched features and genres on a Development Mode app, naming the service', async () => {
    h = await harness({ profile: 'development-2026', persona: 'heavy-pop' });
    const hh = h;
    const store = createMemoryStore();
    await seedStore(hh, store);
    const world = hh.mock.world;
    const asked = { tracks: 0, artists: 0 };
    // A stand-in service answering from the mock world's ground truth.
    const enricher: ProfileEnricher = {
      async enrich(input) {
        const features = new Map<string, MeasuredFeatures>();
        for (const t of input.tracks) {
          asked.tracks++;
          const truth = world.tracks.get(t.id)?.features;
          if (truth !== undefined) features.set(t.id, { ...truth, via: 'TruthService' });
        }
        const byName = new Map<string, readonly string[]>();
        for (const a of input.artists) {
          asked.artists++;
          const found = [...world.artists.values()].find((w) => w.name === a.name);
          byName.set(a.name, a.genres ?? found?.genres ?? []);
        }
        return {
          features: featureSourceFromMap('enriched', features),
          genresOf: (artist) => byName.get(artist.name),
          genresVia: 'TruthService',
        };
      },
    };
    const plain = await collect(hh, store);
    const enriched = await collectListeningProfile({
      client: hh.client,
      store,
      userId: hh.userId,
      timeZone: TZ,
      period: 'short_term',
      now: hh.mock.controls.clock.now(),
      enricher,
    });
    expect(asked.tracks).toBeGreaterThan(0);
    expect(asked.artists).toBeGreaterThan(0);
    expect(plain.profile.signals.energy.source).toBe('estimated');
    expect(enriched.profile.signals.energy.source).toBe('enriched');
    expect(enriched.profile.signals.energy.via).toBe('TruthService');
    expect(enriched.profile.signals.energy.confidence).toBeGreaterThan(
      plain.profile.signals.energy.confidence,
    );
    expect(listeningProfileSchema.safeParse(enriched.profile).success).toBe(true);
  });
});
