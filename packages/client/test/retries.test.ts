import { afterEach, describe, expect, it } from 'vitest';
import type { MockServer } from '@spoti/mock';
import { isSpotifyError, type RetryEvent, type SpotifyClient } from '../src/index.js';
import { artistIds, mock, trackIds, userClient, profiles } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(profiles)('retries (%s)', (profile) => {
  it('retries 500/502/503/504, dropped connections and malformed JSON, reporting each retry', async () => {
    server = await mock({ profile });
    client = userClient(server, { cache: false });
    const retries: RetryEvent[] = [];
    client.on('retry', (e) => retries.push(e));
    server.controls.faults.script([
      { status: 500 },
      { status: 502 },
      { drop: true },
      { malformed: true },
      { status: 503 },
    ]);
    const me = await client.getMe();
    expect(me.type).toBe('user');
    expect(retries.map((r) => r.code)).toEqual([
      'SERVER_ERROR',
      'SERVER_ERROR',
      'NETWORK',
      'RESPONSE_VALIDATION',
      'SERVER_ERROR',
    ]);
    expect(retries.every((r) => r.delayMs >= 0 && r.delayMs < 20)).toBe(true);
    expect(client.callCounts()['GET /me']).toBe(6);
  });

  it('gives up after the configured retries with a typed error', async () => {
    server = await mock({ profile });
    client = userClient(server, {
      cache: false,
      retry: { retries: 2, minTimeout: 1, maxTimeout: 2 },
    });
    server.controls.faults.script([
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 503 },
    ]);
    const error = await client.getMe().catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('SERVER_ERROR');
    expect(isSpotifyError(error) && error.status).toBe(503);
    expect(client.callCounts()['GET /me']).toBe(3);
  });

  it('does not retry 4xx answers', async () => {
    server = await mock({ profile });
    client = userClient(server);
    const error = await client.getArtist('nope0000000000000000000').catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('NOT_FOUND');
    expect(client.callCounts()['GET /artists/{id}']).toBe(1);
  });

  it('does not blindly resend a non-idempotent write after an unknown outcome', async () => {
    server = await mock({ profile });
    client = userClient(server);
    const playlist = await client.createPlaylist({ name: 'writes' });
    server.controls.faults.script([{ status: 503 }]);
    const error = await client
      .addPlaylistItems(
        playlist.id,
        trackIds(server, 2).map((id) => `spotify:track:${id}`),
      )
      .catch((e: unknown) => e);
    expect(isSpotifyError(error) && error.code).toBe('SERVER_ERROR');
    expect(client.callCounts()['POST /playlists/{id}/items']).toBe(1);
    // Idempotent writes (replace, remove) are retried.
    server.controls.faults.script([{ status: 503 }]);
    await client.replacePlaylistItems(playlist.id, [`spotify:track:${trackIds(server, 1)[0]}`]);
    expect(client.callCounts()['PUT /playlists/{id}/items']).toBe(2);
  });

  it('times out a slow answer and retries it', async () => {
    server = await mock({ profile });
    client = userClient(server, { timeoutMs: 100, cache: false });
    server.controls.faults.script([{ latencyMs: 400 }]);
    const codes: string[] = [];
    client.on('retry', (e) => codes.push(e.code));
    const artist = await client.getArtist(artistIds(server, 1)[0]!);
    expect(artist.type).toBe('artist');
    expect(codes).toEqual(['TIMEOUT']);
  });

  it('aborts a call waiting between retries', async () => {
    server = await mock({ profile });
    client = userClient(server, {
      cache: false,
      retry: { retries: 5, minTimeout: 5_000, maxTimeout: 5_000 },
      random: () => 0.99,
    });
    server.controls.faults.script([{ status: 503 }]);
    const controller = new AbortController();
    const pending = client.getMe({ signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(isSpotifyError(error) && error.code).toBe('ABORTED');
  });
});
