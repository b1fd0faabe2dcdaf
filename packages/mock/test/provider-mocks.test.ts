import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorld,
  type ProviderMockServer,
  RECCOBEATS_MAX_IDS,
  startProviderMocks,
} from '../src/index.js';

const world = createWorld({ seed: 11, size: 'tiny' });
let services: ProviderMockServer;
beforeAll(async () => {
  services = await startProviderMocks({
    world,
    rateLimits: { musicbrainz: { allowance: 1_000, windowMs: 1_000 } },
  });
});
afterAll(() => services.close());

const get = async (
  url: string,
  headers: Record<string, string> = { 'User-Agent': 'test/1.0 ( test@example.org )' },
) => {
  const res = await fetch(url, { headers });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
};

describe('ReccoBeats stand-in', () => {
  const ids = [...world.tracks.keys()];

  it('answers tracks by Spotify id with its own UUID, the ISRC and the Spotify href', async () => {
    const { status, body } = await get(
      `${services.reccoBeatsUrl}/track?ids=${ids[0]}&ids=${ids[1]}`,
    );
    expect(status).toBe(200);
    const content = body.content as { id: string; isrc: string; href: string }[];
    for (const item of content) {
      expect(item.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      const spotifyId = item.href.split('/').pop() as string;
      expect(item.isrc).toBe(world.tracks.get(spotifyId)?.isrc);
    }
  });

  it('serves features near the truth, by batch and by its own id', async () => {
    const batch = await get(
      `${services.reccoBeatsUrl}/audio-features?ids=${ids.slice(0, 20).join(',')}`,
    );
    const items = batch.body.content as { id: string; href: string; energy: number }[];
    expect(items.length).toBeGreaterThan(12);
    const first = items[0] as { id: string; href: string; energy: number };
    const truth = world.tracks.get(first.href.split('/').pop() as string)?.features.energy ?? -1;
    expect(Math.abs(first.energy - truth)).toBeLessThanOrEqual(0.0301);
    const single = await get(`${services.reccoBeatsUrl}/track/${first.id}/audio-features`);
    expect(single.body.energy).toBe(first.energy);
  });

  it(`refuses more than ${RECCOBEATS_MAX_IDS} ids and malformed ones with 400`, async () => {
    expect(
      (await get(`${services.reccoBeatsUrl}/audio-features?ids=${ids.slice(0, 41).join(',')}`))
        .status,
    ).toBe(400);
    expect((await get(`${services.reccoBeatsUrl}/audio-features?ids=../etc`)).status).toBe(400);
    expect((await get(`${services.reccoBeatsUrl}/audio-features`)).status).toBe(400);
  });
});

describe('MusicBrainz stand-in', () => {
  const artist = [...world.artists.values()].find((a) => a.genres.length > 1);

  it('finds an artist by a quoted name and looks up its genres by MBID', async () => {
    const query = encodeURIComponent(`artist:"${artist?.name}"`);
    const search = await get(`${services.musicBrainzUrl}/artist?query=${query}&fmt=json`);
    const found = (search.body.artists as { id: string; name: string; score: number }[])[0];
    expect(found?.name).toBe(artist?.name);
    expect(found?.score).toBe(100);
    const lookup = await get(`${services.musicBrainzUrl}/artist/${found?.id}?inc=genres&fmt=json`);
    const genres = lookup.body.genres as { name: string; count: number }[];
    expect(genres.map((g) => g.name)).toEqual(artist?.genres);
    expect(genres[0]?.count).toBeGreaterThan(genres[1]?.count ?? 0);
  });

  it('wants JSON, a User-Agent, and well-formed MBIDs', async () => {
    expect((await get(`${services.musicBrainzUrl}/artist?query=x`)).status).toBe(400);
    const noAgent = await get(`${services.musicBrainzUrl}/artist?query=x&fmt=json`, {
      'User-Agent': '',
    });
    expect(noAgent.status).toBe(403);
    expect((await get(`${services.musicBrainzUrl}/artist/not-an-id?fmt=json`)).status).toBe(400);
  });

  it('answers 503 with Retry-After over one request per second (its default)', async () => {
    const strict = await startProviderMocks({ world });
    try {
      const url = `${strict.musicBrainzUrl}/artist?query=x&fmt=json`;
      const first = await get(url);
      const second = await get(url);
      expect(first.status).toBe(200);
      expect(second.status).toBe(503);
      expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await strict.close();
    }
  });
});

describe('Last.fm stand-in', () => {
  const artist = [...world.artists.values()][0];
  const key = '0123456789abcdef0123456789abcdef';

  it('answers top tags with Last.fm error bodies for bad input', async () => {
    services.controls.reset();
    const base = `${services.lastFmUrl}/?method=artist.getTopTags&format=json`;
    const ok = await get(`${base}&api_key=${key}&artist=${encodeURIComponent(artist?.name ?? '')}`);
    const tags = (ok.body.toptags as { tag: { name: string }[] }).tag.map((t) => t.name);
    expect(tags.slice(0, artist?.genres.length)).toEqual(artist?.genres);
    expect((await get(`${base}&api_key=nope&artist=x`)).body.error).toBe(10);
    expect((await get(`${base}&api_key=${key}&artist=Nobody%20Here`)).body.error).toBe(6);
  });
});

describe('Deezer stand-in', () => {
  const artist = [...world.artists.values()].find((a) => a.genres.length > 0);

  it('finds albums by artist with a genre id, names the genre, and errors in a 200 body', async () => {
    const q = encodeURIComponent(`artist:"${artist?.name}"`);
    const albums = await get(`${services.deezerUrl}/search/album?q=${q}`);
    const first = (albums.body.data as { genre_id: number; artist: { name: string } }[])[0];
    expect(first?.artist.name).toBe(artist?.name);
    const genre = await get(`${services.deezerUrl}/genre/${first?.genre_id}`);
    expect(genre.body.name).toBeTypeOf('string');
    const missing = await get(`${services.deezerUrl}/genre/99999`);
    expect(missing.status).toBe(200);
    expect(missing.body.error).toMatchObject({ code: 800 });
  });
});

describe('controls', () => {
  it('scripts faults, takes a service down, counts requests and validates options', async () => {
    services.controls.reset();
    services.controls.script('reccobeats', [{ status: 429, retryAfterSeconds: 7 }]);
    const limited = await get(`${services.reccoBeatsUrl}/track?ids=x`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    services.controls.down('lastfm', 503);
    expect((await get(`${services.lastFmUrl}/?method=x`)).status).toBe(503);
    services.controls.down('lastfm', null);
    expect(services.controls.counts()).toEqual({
      reccobeats: 1,
      musicbrainz: 0,
      lastfm: 1,
      deezer: 0,
    });
    await expect(startProviderMocks({ reccoBeatsCoverage: 2 })).rejects.toThrow(
      /reccoBeatsCoverage/,
    );
  });
});
