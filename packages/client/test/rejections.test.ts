import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSpotifyClient,
  isSpotifyError,
  createMemoryTokenStore,
  SpotifyClient,
} from '../src/index.js';
import { mock, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

/** Methods that do not return a promise, or take no argument that could be wrong. */
const notAsync = new Set([
  'constructor',
  'on',
  'callCounts',
  'totalCalls',
  'resetCallCounts',
  'paginate',
  'hasCapability',
  'toJSON',
  'close',
]);

const hostile: unknown[][] = [
  [null, null, null],
  [42, 42, 42],
  [[], [], []],
  ['', 'not an object', Symbol('x')],
];

/** A client that would fail loudly if anything reached the network. */
function offlineClient() {
  let fetched = 0;
  const created = createSpotifyClient({
    apiBaseUrl: 'http://127.0.0.1:9/v1',
    accountsBaseUrl: 'http://127.0.0.1:9',
    clientId: 'test-app',
    redirectUri: 'http://127.0.0.1:3000/callback',
    tokenStore: createMemoryTokenStore({
      accessToken: 'fake-access-token-offline',
      expiresAt: Date.now() + 3_600_000,
    }),
    fetch: async () => {
      fetched += 1;
      throw new Error('no network in this test');
    },
  });
  return { client: created, fetched: () => fetched };
}

describe('every promise-returning method rejects for bad arguments (issue 13 item 13)', () => {
  const methods = Object.getOwnPropertyNames(SpotifyClient.prototype).filter((name) => {
    const descriptor = Object.getOwnPropertyDescriptor(SpotifyClient.prototype, name);
    return typeof descriptor?.value === 'function' && !notAsync.has(name);
  });

  it('covers the whole surface', () => {
    expect(methods).toEqual(expect.arrayContaining(['getRecentlyPlayed', 'reorderPlaylistItems']));
    expect(methods.length).toBeGreaterThan(30);
  });

  it.each(methods)(
    '%s: a rejected promise with INVALID_OPTIONS, never a synchronous throw',
    async (name) => {
      const { client: c, fetched } = offlineClient();
      client = c;
      const method = (c as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
      for (const argv of hostile) {
        let result: unknown;
        expect(() => {
          result = method.apply(c, argv);
        }).not.toThrow();
        expect(result).toBeInstanceOf(Promise);
        const error = await (result as Promise<unknown>).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isSpotifyError(error) && error.code, `${name}(${argv.map(String).join(', ')})`).toBe(
          'INVALID_OPTIONS',
        );
      }
      expect(fetched()).toBe(0);
    },
  );

  it('named cases from the review: recently played with both cursors, a bad move', async () => {
    const { client: c, fetched } = offlineClient();
    client = c;
    const both = c.getRecentlyPlayed({ after: 1, before: 2 });
    await expect(both).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const move = c.reorderPlaylistItems('abc', { rangeStart: -1, insertBefore: 0 });
    await expect(move).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const search = c.search({ q: 'x', type: 'artist' as unknown as ['artist'] });
    await expect(search).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const ids = c.getArtists(['ok', 'not/an/id']);
    await expect(ids).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    const paging = c.getSavedTracks({ limit: 'ten' as unknown as number });
    await expect(paging).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(fetched()).toBe(0);
  });
});

describe('paginate with bad arguments', () => {
  it('the iterator rejects with INVALID_OPTIONS on its first step', async () => {
    const { client: c, fetched } = offlineClient();
    client = c;
    const bad: Array<() => AsyncGenerator<unknown>> = [
      () => c.paginate(null as unknown as typeof c.getSavedTracks, {}),
      () => c.paginate(c.getSavedTracks, null as unknown as object),
      () => c.paginate(c.getSavedTracks, {}, null as unknown as undefined),
      () => c.paginate(c.getSavedTracks, {}, { maxItems: Number.NaN }),
    ];
    for (const make of bad) {
      const iterator = make();
      await expect(iterator.next()).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    }
    expect(fetched()).toBe(0);
  });
});

describe('Spotify error bodies are kept as structured data', () => {
  it('a 400 carries Spotify message as apiMessage, apart from the client message', async () => {
    server = await mock({ profile: 'development-2026' });
    client = userClient(server, { cache: false });
    const error = await client
      .request({
        method: 'GET',
        endpoint: 'GET /search',
        path: '/search',
        query: { q: 'a', type: 'track', limit: 50 },
      })
      .catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.status).toBe(400);
    expect(isSpotifyError(error) && error.apiMessage).toBe('Invalid limit');
  });
});
