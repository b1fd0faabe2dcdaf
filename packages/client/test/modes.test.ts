import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import { isSpotifyError, type SpotifyClient } from '../src/index.js';
import { albumIds, artistIds, mock, trackIds, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('modes', () => {
  it('extended: batch gets chunk ids to each maximum and keep input order', async () => {
    server = await mock({ profile: 'extended' });
    client = userClient(server, { mode: 'extended' });
    const ids = artistIds(server, 120);
    const artists = await client.getArtists(ids);
    expect(artists.map((a) => a?.id)).toEqual(ids);
    expect(client.callCounts()).toEqual({ 'GET /artists': 3 });
    client.resetCallCounts();
    await client.getTracks(trackIds(server, 60));
    await client.getAlbums(albumIds(server, 45));
    expect(client.callCounts()).toEqual({ 'GET /tracks': 2, 'GET /albums': 3 });
    const features = await client.getAudioFeatures(trackIds(server, 150));
    expect(features.available).toBe(true);
    expect(features.available && features.features).toHaveLength(150);
    expect(client.callCounts()['GET /audio-features']).toBe(2);
  });

  it('development: single gets within the call budget, typed unavailable audio features', async () => {
    server = await mock({ profile: 'development-2026' });
    client = userClient(server, { mode: 'development', callBudget: 50 });
    const ids = artistIds(server, 30);
    const artists = await client.getArtists([...ids, ids[0]!]);
    expect(artists.map((a) => a?.id)).toEqual([...ids, ids[0]]);
    expect(client.callCounts()).toEqual({ 'GET /artists/{id}': 30 });
    const error = await client.getArtists(artistIds(server, 51)).catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('CALL_BUDGET_EXCEEDED');
    expect(client.totalCalls()).toBe(30);
    expect(await client.getAudioFeatures(trackIds(server, 3))).toEqual({
      available: false,
      reason: 'development_mode',
    });
    expect(client.totalCalls()).toBe(30);
  });

  it('auto: a 403 from a batch endpoint switches batching off for the rest of the process', async () => {
    server = await mock({ profile: 'development-2026' });
    client = userClient(server, { mode: 'auto' });
    const ids = trackIds(server, 5);
    const first = await client.getTracks(ids);
    expect(first.map((t) => t?.id)).toEqual(ids);
    expect(client.callCounts()).toEqual({ 'GET /tracks': 1, 'GET /tracks/{id}': 5 });
    expect(client.hasCapability('batch-tracks')).toBe(false);
    expect(client.hasCapability('batch-artists')).toBe(true);
    await client.getTracks(ids.slice(0, 2));
    expect(client.callCounts()['GET /tracks']).toBe(1);
    const features = await client.getAudioFeatures(ids);
    expect(features).toEqual({ available: false, reason: 'endpoint_unavailable' });
    await client.getAudioFeatures(ids);
    expect(client.callCounts()['GET /audio-features']).toBe(1);
  });

  it('extended mode against a development app reports ENDPOINT_UNAVAILABLE', async () => {
    server = await mock({ profile: 'development-2026' });
    client = userClient(server, { mode: 'extended' });
    const error = await client.getArtists(artistIds(server, 2)).catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('ENDPOINT_UNAVAILABLE');
    expect(isSpotifyError(error) && error.status).toBe(403);
  });
});

describe('auto mode page limits follow what the client has learned', () => {
  const sentLimits = (s: MockServer, suffix: string) =>
    s.controls.requests
      .log()
      .filter((e) => e.path.endsWith(suffix))
      .map((e) => e.query.limit);

  it('extended app: development limits until a batch call succeeds, then the extended ones', async () => {
    server = await mock({ profile: 'extended' });
    client = userClient(server, { mode: 'auto', cache: false });
    const [artistId] = artistIds(server, 1);
    expect(client.accessLevel).toBe('unknown');
    await client.search({ q: 'a', type: ['track'], limit: 50 });
    await client.getArtistAlbums(artistId!, { limit: 50 });
    await client.getArtists(artistIds(server, 3));
    expect(client.accessLevel).toBe('extended');
    const result = await client.search({ q: 'a', type: ['track'], limit: 50 });
    await client.getArtistAlbums(artistId!, { limit: 50 });
    expect(sentLimits(server, '/search')).toEqual(['10', '50']);
    expect(sentLimits(server, '/albums')).toEqual(['10', '50']);
    expect(result.tracks?.items.length).toBeGreaterThan(10);
    // A 400 that is the caller's (an empty query) is not taken for a page-limit refusal: asked
    // once more at 10 and refused again, it stays the caller's and the extended limit stays.
    const bad = await client
      .search({ q: ' ', type: ['track'], limit: 50 })
      .catch((e: unknown) => e);
    expect(isSpotifyError(bad) && bad.code).toBe('BAD_REQUEST');
    await client.search({ q: 'b', type: ['track'], limit: 50 });
    expect(sentLimits(server, '/search')).toEqual(['10', '50', '50', '10', '50']);
  });

  it('development app: a 403 confirms the development limits, never a 400', async () => {
    server = await mock({ profile: 'development-2026' });
    client = userClient(server, { mode: 'auto', cache: false });
    // Nothing to fetch proves nothing.
    await client.getAudioFeatures([]);
    await client.getArtists([]);
    expect(client.accessLevel).toBe('unknown');
    await client.getTracks(trackIds(server, 2));
    expect(client.accessLevel).toBe('development');
    await client.getAudioFeatures([]);
    expect(client.accessLevel).toBe('development');
    await client.search({ q: 'a', type: ['artist'], limit: 50 });
    expect(sentLimits(server, '/search')).toEqual(['10']);
  });
});

describe('auto mode: an extended page limit refused with a 400', () => {
  const sentLimits = (s: MockServer, suffix: string) =>
    s.controls.requests
      .log()
      .filter((e) => e.path.endsWith(suffix))
      .map((e) => e.query.limit);

  it('asks once more with the development limit; the second answer decides, not message text', async () => {
    server = await mock({ profile: 'extended' });
    // Spotify may refuse the extended limit on one endpoint although batch calls work.
    const refusing: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/search') && url.searchParams.get('limit') === '50') {
        return new Response(JSON.stringify({ error: { status: 400, message: 'Invalid limit' } }), {
          status: 400,
          headers: { 'content-type': 'application/json' },
        });
      }
      return fetch(input, init);
    };
    client = userClient(server, { mode: 'auto', cache: false, fetch: refusing });
    await client.getArtists(artistIds(server, 3));
    expect(client.accessLevel).toBe('extended');
    const first = await client.search({ q: 'a', type: ['track'], limit: 50 });
    expect(first.tracks?.items.length).toBe(10);
    await client.search({ q: 'b', type: ['track'], limit: 50 });
    // 50 refused once (never reaching the mock), then 10 from then on.
    expect(sentLimits(server, '/search')).toEqual(['10', '10']);
  });

  it("a 400 that the smaller limit does not cure is the caller's, and changes nothing", async () => {
    server = await mock({ profile: 'extended' });
    let refused = 0;
    // A bad query: refused whatever the limit, with a message that happens to say "limit".
    const refusing: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.endsWith('/search') && url.searchParams.get('q') === 'bad') {
        refused += 1;
        return new Response(
          JSON.stringify({ error: { status: 400, message: 'Query over the length limit' } }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        );
      }
      return fetch(input, init);
    };
    client = userClient(server, { mode: 'auto', cache: false, fetch: refusing });
    await client.getArtists(artistIds(server, 3));
    const error = await client
      .search({ q: 'bad', type: ['track'], limit: 50 })
      .catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.status).toBe(400);
    expect(refused).toBe(2);
    await client.search({ q: 'good', type: ['track'], limit: 50 });
    expect(sentLimits(server, '/search')).toEqual(['50']);
  });
});
