import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  albumSchema,
  artistSchema,
  isSpotifyError,
  type SpotifyClient,
  SpotifyResponseValidationError,
  trackSchema,
  userSchema,
  type ValidationEvent,
} from '../src/index.js';
import { artistIds, mock, profiles, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/** A schema the real `/me` body cannot satisfy: it demands a field Spotify never sends. */
const impossibleMe = userSchema.extend({ never_sent: z.string() });

describe.each(profiles)('validation modes (%s)', (profile) => {
  it('strict: a body that does not match throws RESPONSE_VALIDATION with the issues', async () => {
    server = await mock({ profile });
    client = userClient(server, { validation: 'strict' });
    const error = await client
      .request({ method: 'GET', endpoint: 'GET /me', path: '/me', schema: impossibleMe })
      .catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('RESPONSE_VALIDATION');
    expect(error).toBeInstanceOf(SpotifyResponseValidationError);
    if (!(error instanceof SpotifyResponseValidationError)) return;
    expect(error.issues.map((i) => i.path.join('.'))).toEqual(['never_sent']);
    expect(error.request).toEqual({ method: 'GET', path: '/me' });
  });

  it('tolerant: reports the mismatch through the hook and returns the body', async () => {
    server = await mock({ profile });
    client = userClient(server, { validation: 'tolerant' });
    const events: ValidationEvent[] = [];
    client.on('validation', (e) => events.push(e));
    const me = await client.request({
      method: 'GET',
      endpoint: 'GET /me',
      path: '/me',
      schema: impossibleMe,
    });
    expect(me.type).toBe('user');
    expect(events).toHaveLength(1);
    expect(events[0]?.endpoint).toBe('GET /me');
    expect(events[0]?.issues[0]?.path).toEqual(['never_sent']);
  });

  it('off: skips the check', async () => {
    server = await mock({ profile });
    client = userClient(server, { validation: 'off' });
    const events: ValidationEvent[] = [];
    client.on('validation', (e) => events.push(e));
    const me = await client.request({
      method: 'GET',
      endpoint: 'GET /me',
      path: '/me',
      schema: impossibleMe,
    });
    expect(me.id).toBeTruthy();
    expect(events).toEqual([]);
  });
});

describe.each(profiles)('schemas against the %s profile', (profile) => {
  it('accept what the profile serves, with or without the fields removed in 2026', async () => {
    server = await mock({ profile });
    client = userClient(server, { validation: 'off' });
    const [id] = artistIds(server, 1);
    const artist = await client.getArtist(id!);
    expect(artistSchema.safeParse(artist).success).toBe(true);
    const me = await client.getMe();
    expect(userSchema.safeParse(me).success).toBe(true);
    if (profile === 'development-2026') {
      // The development profile drops these fields; the schemas must not require them.
      expect(artist.popularity).toBeUndefined();
      expect(artist.followers).toBeUndefined();
      expect(me.email).toBeUndefined();
    }
  });
});

describe('schemas', () => {
  const artist = {
    id: '0OdUWJ0sBjDrqHygGUXeCF',
    name: 'Band of Horses',
    type: 'artist',
    uri: 'spotify:artist:0OdUWJ0sBjDrqHygGUXeCF',
  };
  const album = {
    id: '4aawyAB9vmqN3uQ7FjRGTy',
    name: 'Global Warming',
    type: 'album',
    uri: 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy',
    album_type: 'album',
    total_tracks: 11,
    release_date: '2012',
    release_date_precision: 'year',
    artists: [artist],
  };

  it('tolerate absent popularity, followers, genres, album_group, label, available_markets', () => {
    expect(artistSchema.parse(artist).genres).toBeUndefined();
    expect(albumSchema.parse(album).label).toBeUndefined();
    const track = {
      id: '6rqhFgbbKwnb9MLmUQDhG6',
      name: 'Track',
      type: 'track',
      uri: 'spotify:track:6rqhFgbbKwnb9MLmUQDhG6',
      duration_ms: 1000,
      explicit: false,
      artists: [artist],
      album,
    };
    expect(trackSchema.parse(track).popularity).toBeUndefined();
  });

  it('are strict about what must be there', () => {
    const { name: _name, ...nameless } = artist;
    expect(artistSchema.safeParse(nameless).success).toBe(false);
    expect(albumSchema.safeParse({ ...album, release_date_precision: 'week' }).success).toBe(false);
    expect(albumSchema.safeParse({ ...album, type: 'track' }).success).toBe(false);
  });
});
