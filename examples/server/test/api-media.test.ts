import { parseBuffer } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mediaServicesOf } from '../src/api/media/media-services.js';
import { ApiClient, registerAndLogin } from './api-client.js';
import {
  type MediaFixtures,
  addSong,
  expectDocumented,
  fileForm,
  makeArtist,
  makeMediaFixtures,
} from './api-media-fixtures.js';
import { BACKENDS, type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 240_000 });

let fx: MediaFixtures;
beforeAll(async () => {
  fx = await makeMediaFixtures();
});

describe.each(BACKENDS)('platform API media on %s', (backend) => {
  let t: TestServer;
  let api: ApiClient;
  let artist: { client: ApiClient; id: string; token: string };
  let listener: { client: ApiClient; id: string; token: string };
  let premium: { client: ApiClient; id: string; token: string };
  const artistId = `ar-${backend}`;

  const send = (token: string | null, method: string, path: string, init: RequestInit = {}) =>
    fetch(`${t.url}/api/v1${path}`, {
      ...init,
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  const upload = async (token: string | null, path: string, form: FormData) => {
    const response = await send(token, 'PUT', path, { body: form });
    const text = await response.text();
    return { response, status: response.status, body: JSON.parse(text), text };
  };
  const stream = async (
    token: string,
    songId: string,
    headers: Record<string, string> = {},
    query = '',
  ) => {
    const response = await send(token, 'GET', `/songs/${songId}/stream${query}`, { headers });
    const body = Buffer.from(await response.arrayBuffer());
    return { response, status: response.status, body, headers: response.headers };
  };
  const objectsUnder = async (prefix: string) => {
    const keys: string[] = [];
    for await (const o of t.server.context.objects.list(prefix)) keys.push(o.key);
    return keys;
  };

  beforeAll(async () => {
    t = await startTestServer(backend);
    api = new ApiClient(t.url);
    artist = await registerAndLogin(api, 'Artist');
    listener = await registerAndLogin(api, 'Listener');
    premium = await registerAndLogin(api, 'Premium');
    await makeArtist(t.server, artist.id, artistId);
    await addSong(t.server, 'song-1', artistId);
    await addSong(t.server, 'song-private', artistId, 'private');
    await addSong(t.server, 'song-lies', artistId);
    const now = t.server.context.clock.now();
    await mediaServicesOf(t.server.context).billing.repository.applyState(
      {
        id: 'sub_fake_premium',
        userId: premium.id,
        stripeCustomerId: 'cus_fake_premium',
        planId: 'individual',
        status: 'active',
        trialEnd: null,
        currentPeriodEnd: now + 30 * 86_400_000,
        cancelAtPeriodEnd: false,
        endedAt: null,
      },
      now,
      now,
    );
  });
  afterAll(async () => t?.close());

  it('takes an artist’s MP3, reads its duration from the file and writes it to the song', async () => {
    const res = await upload(
      artist.token,
      '/songs/song-1/audio',
      fileForm(fx.mp3, {
        name: 'tone.mp3',
        type: 'audio/mpeg',
        fields: { size: String(fx.mp3.length) },
      }),
    );
    expect(res.status, res.text).toBe(200);
    await expectDocumented(api, 'PUT', '/songs/{id}/audio', res.response, res.text);
    expect(res.body).toMatchObject({
      songId: 'song-1',
      format: 'mp3',
      mimeType: 'audio/mpeg',
      sizeBytes: fx.mp3.length,
    });
    expect(Math.abs(res.body.durationMs - fx.durationMs)).toBeLessThan(100);
    expect(res.body.bitrateKbps).toBe(320);
    const track = await t.server.context.database.catalog.getTrack('song-1');
    expect(track?.durationMs).toBe(res.body.durationMs);
    await t.server.context.runner.idle();
    const info = await api.as(listener.token).get('/songs/song-1/audio');
    expect(info.status).toBe(200);
    expect(info.body.renditionsKbps).toEqual([96, 160, 320]);
  });

  it.each([
    ['wav', 'audio/wav'],
    ['flac', 'audio/flac'],
    ['ogg', 'audio/ogg'],
    ['m4a', 'audio/mp4'],
  ] as const)('recognises %s by its bytes', async (format, type) => {
    const res = await upload(
      artist.token,
      '/songs/song-1/audio',
      fileForm(fx[format], { name: 'x.bin' }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ format, mimeType: type });
    expect(Math.abs(res.body.durationMs - fx.durationMs)).toBeLessThan(150);
  });

  it('refuses uploads that lie about their type or size, and keeps nothing', async () => {
    const before = await objectsUnder('media/audio/song-lies/');
    const png = await upload(
      artist.token,
      '/songs/song-lies/audio',
      fileForm(fx.png, { name: 'song.mp3', type: 'audio/mpeg' }),
    );
    expect(png.status).toBe(415);
    expect(png.body.code).toBe('UNSUPPORTED_MEDIA');
    expect(png.response.headers.get('content-type')).toContain('application/problem+json');
    await expectDocumented(api, 'PUT', '/songs/{id}/audio', png.response, png.text);

    const mismatch = await upload(
      artist.token,
      '/songs/song-lies/audio',
      fileForm(fx.flac, { name: 'song.mp3', type: 'audio/mpeg' }),
    );
    expect(mismatch.status).toBe(415);
    expect(mismatch.body.code).toBe('MEDIA_TYPE_MISMATCH');
    expect(mismatch.body.detail).toContain('flac');

    const size = await upload(
      artist.token,
      '/songs/song-lies/audio',
      fileForm(fx.mp3, { fields: { size: String(fx.mp3.length - 1) } }),
    );
    expect(size.status).toBe(400);
    expect(size.body.code).toBe('SIZE_MISMATCH');

    // An ID3 tag in front of noise: the magic bytes pass, the audio does not.
    const id3 = Buffer.concat([
      Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'),
      Buffer.alloc(4096, 7),
    ]);
    const noise = await upload(artist.token, '/songs/song-lies/audio', fileForm(id3));
    expect(noise.status).toBe(415);
    expect(noise.body.code).toBe('UNSUPPORTED_MEDIA');

    const empty = await upload(artist.token, '/songs/song-lies/audio', fileForm(Buffer.alloc(0)));
    expect(empty.status).toBe(415);

    expect(await objectsUnder('media/audio/song-lies/')).toEqual(before);
    const info = await api.as(artist.token).get('/songs/song-lies/audio');
    expect(info.status).toBe(404);
    expect(info.body.code).toBe('NO_AUDIO');
  });

  it('refuses more than 50 MB, whether Content-Length says so or not', async () => {
    const big = Buffer.concat([fx.mp3, Buffer.alloc(50 * 1024 * 1024 + 1 - fx.mp3.length, 0)]);
    const declared = await upload(
      artist.token,
      '/songs/song-lies/audio',
      fileForm(big, { name: 'big.mp3' }),
    );
    expect(declared.status).toBe(413);
    expect(declared.body.code).toBe('FILE_TOO_LARGE');

    // Chunked, no Content-Length: the bytes are counted as they arrive.
    const form = fileForm(big, { name: 'big.mp3' });
    const encoded = new Response(form);
    const chunked = await send(artist.token, 'PUT', '/songs/song-lies/audio', {
      body: encoded.body,
      headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { code: string }).code).toBe('FILE_TOO_LARGE');
    expect(await objectsUnder('media/audio/song-lies/')).toEqual([]);
  });

  it('lets only the owning artist upload (authorization)', async () => {
    const form = () => fileForm(fx.mp3);
    expect((await upload(null, '/songs/song-1/audio', form())).status).toBe(401);
    const asListener = await upload(listener.token, '/songs/song-1/audio', form());
    expect(asListener.status).toBe(403);
    const other = await registerAndLogin(api, 'Other');
    await makeArtist(t.server, other.id, `ar-other-${backend}`);
    const notOwner = await upload(other.token, '/songs/song-1/audio', form());
    expect(notOwner.status).toBe(403);
    expect(notOwner.body.code).toBe('FORBIDDEN');
    const privateOfOther = await upload(other.token, '/songs/song-private/audio', form());
    expect(privateOfOther.status).toBe(404);
    expect((await upload(artist.token, '/songs/no-such-song/audio', form())).status).toBe(404);
  });

  it('streams the rendition the plan allows, and says which', async () => {
    await upload(artist.token, '/songs/song-1/audio', fileForm(fx.mp3));
    await t.server.context.runner.idle();
    const free = await stream(listener.token, 'song-1');
    expect(free.status).toBe(200);
    await expectDocumented(api, 'GET', '/songs/{id}/stream', free.response, free.body);
    expect(free.headers.get('x-audio-quality')).toBe('160');
    expect(free.headers.get('x-audio-plan')).toBe('free');
    expect(free.headers.get('content-type')).toBe('audio/mpeg');
    expect(free.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(free.headers.get('content-length'))).toBe(free.body.length);
    expect(Math.round(((await parseBuffer(free.body)).format.bitrate ?? 0) / 1000)).toBe(160);

    const best = await stream(premium.token, 'song-1');
    expect(best.headers.get('x-audio-quality')).toBe('320');
    expect(best.headers.get('x-audio-plan')).toBe('individual');
    expect(Math.round(((await parseBuffer(best.body)).format.bitrate ?? 0) / 1000)).toBe(320);
    const low = await stream(premium.token, 'song-1', {}, '?quality=96');
    expect(low.headers.get('x-audio-quality')).toBe('96');
    const capped = await stream(listener.token, 'song-1', {}, '?quality=320');
    expect(capped.headers.get('x-audio-quality')).toBe('160');
    expect((await stream(listener.token, 'song-1', {}, '?quality=1000')).status).toBe(400);
    expect((await send(null, 'GET', '/songs/song-1/stream')).status).toBe(401);
  });

  it('serves the original until the renditions exist; the job is safe to repeat', async () => {
    const { media } = mediaServicesOf(t.server.context);
    for (const kbps of [96, 160, 320]) await media.deleteRendition('song-1', kbps);
    const original = await stream(listener.token, 'song-1');
    expect(original.status).toBe(200);
    expect(original.headers.get('x-audio-quality')).toBe('original');
    expect(original.body.equals(fx.mp3)).toBe(true);

    const first = await t.server.context.runner.run('media-renditions', { songId: 'song-1' });
    expect(first).toMatchObject({ made: [96, 160, 320], kept: [] });
    const again = await t.server.context.runner.run('media-renditions', { songId: 'song-1' });
    expect(again).toMatchObject({ made: [], kept: [96, 160, 320] });
    expect((await stream(listener.token, 'song-1')).headers.get('x-audio-quality')).toBe('160');
    const none = await t.server.context.runner.run('media-renditions', { songId: 'no-such-song' });
    expect(none.skipped).toBe('no-audio');
  });

  it('answers ranges: 206, suffix, open-ended, If-Range, HEAD, and 416 past the end', async () => {
    const whole = await stream(listener.token, 'song-1');
    const size = whole.body.length;
    const etag = whole.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"/);

    const first = await stream(listener.token, 'song-1', { range: 'bytes=0-99' });
    expect(first.status).toBe(206);
    await expectDocumented(api, 'GET', '/songs/{id}/stream', first.response, first.body);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${size}`);
    expect(first.body.equals(whole.body.subarray(0, 100))).toBe(true);

    const suffix = await stream(listener.token, 'song-1', { range: 'bytes=-100' });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('content-range')).toBe(`bytes ${size - 100}-${size - 1}/${size}`);
    expect(suffix.body.equals(whole.body.subarray(size - 100))).toBe(true);

    const open = await stream(listener.token, 'song-1', { range: `bytes=${size - 10}-` });
    expect(open.status).toBe(206);
    expect(open.body.equals(whole.body.subarray(size - 10))).toBe(true);

    const cut = await stream(listener.token, 'song-1', {
      range: `bytes=${size - 5}-${size + 1000}`,
    });
    expect(cut.headers.get('content-range')).toBe(`bytes ${size - 5}-${size - 1}/${size}`);

    const beyond = await stream(listener.token, 'song-1', { range: `bytes=${size}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
    await expectDocumented(api, 'GET', '/songs/{id}/stream', beyond.response, beyond.body);
    expect(JSON.parse(beyond.body.toString()).code).toBe('RANGE_NOT_SATISFIABLE');
    expect((await stream(listener.token, 'song-1', { range: 'bytes=-0' })).status).toBe(416);

    const same = await stream(listener.token, 'song-1', { range: 'bytes=0-9', 'if-range': etag });
    expect(same.status).toBe(206);
    const stale = await stream(listener.token, 'song-1', {
      range: 'bytes=0-9',
      'if-range': '"stale"',
    });
    expect(stale.status).toBe(200);
    expect(stale.body.length).toBe(size);
    const oldDate = await stream(listener.token, 'song-1', {
      range: 'bytes=0-9',
      'if-range': 'Thu, 01 Jan 1970 00:00:00 GMT',
    });
    expect(oldDate.status).toBe(200);
    const several = await stream(listener.token, 'song-1', { range: 'bytes=0-1,5-6' });
    expect(several.status).toBe(200);

    const head = await send(listener.token, 'HEAD', '/songs/song-1/stream', {
      headers: { range: 'bytes=0-99' },
    });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-length')).toBe('100');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('keeps a private song’s audio to its owner', async () => {
    const res = await upload(artist.token, '/songs/song-private/audio', fileForm(fx.wav));
    expect(res.status).toBe(200);
    expect((await stream(artist.token, 'song-private')).status).toBe(200);
    const other = await stream(listener.token, 'song-private');
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body.toString()).code).toBe('NOT_FOUND');
    expect((await api.as(listener.token).get('/songs/song-private/audio')).status).toBe(404);
    expect((await api.as(null).get('/songs/song-private/audio')).status).toBe(404);
  });

  it('checks covers and avatars for type, size and dimensions', async () => {
    const cover = await upload(
      artist.token,
      '/albums/al-song-1/cover',
      fileForm(fx.png, { type: 'image/png' }),
    );
    expect(cover.status, cover.text).toBe(200);
    await expectDocumented(api, 'PUT', '/albums/{id}/cover', cover.response, cover.text);
    expect(cover.body).toMatchObject({
      kind: 'cover',
      mimeType: 'image/png',
      width: 64,
      height: 48,
    });
    const image = await send(null, 'GET', '/albums/al-song-1/cover');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(fx.png)).toBe(true);
    expect((await t.server.context.database.catalog.getAlbum('al-song-1'))?.imageUrl).toBe(
      cover.body.url,
    );

    const lie = await upload(
      artist.token,
      '/albums/al-song-1/cover',
      fileForm(fx.jpeg, { type: 'image/png' }),
    );
    expect(lie.status).toBe(415);
    expect(lie.body.code).toBe('MEDIA_TYPE_MISMATCH');
    const notImage = await upload(
      artist.token,
      '/albums/al-song-1/cover',
      fileForm(fx.mp3, { type: 'image/png' }),
    );
    expect(notImage.body.code).toBe('UNSUPPORTED_MEDIA');
    // A PNG header claiming 20,000 × 20,000 pixels.
    const huge = Buffer.from(fx.png);
    huge.writeUInt32BE(20_000, 16);
    huge.writeUInt32BE(20_000, 20);
    const bomb = await upload(artist.token, '/albums/al-song-1/cover', fileForm(huge));
    expect(bomb.status).toBe(422);
    expect(bomb.body.code).toBe('IMAGE_TOO_LARGE');
    const tooBig = await upload(
      listener.token,
      '/me/avatar',
      fileForm(Buffer.concat([fx.png, Buffer.alloc(4 * 1024 * 1024)])),
    );
    expect(tooBig.status).toBe(413);
    expect((await upload(listener.token, '/albums/al-song-1/cover', fileForm(fx.png))).status).toBe(
      403,
    );

    const avatar = await upload(
      listener.token,
      '/me/avatar',
      fileForm(fx.jpeg, { type: 'image/jpeg' }),
    );
    expect(avatar.status).toBe(200);
    expect(avatar.body).toMatchObject({
      kind: 'avatar',
      ownerId: listener.id,
      width: 80,
      height: 80,
    });
    const got = await send(null, 'GET', `/users/${listener.id}/avatar`);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect((await send(null, 'GET', '/users/nobody/avatar')).status).toBe(404);
  });

  it('deletes an account’s media from object storage with the account', async () => {
    const gone = await registerAndLogin(api, 'Leaving');
    await makeArtist(t.server, gone.id, `ar-leaving-${backend}`);
    await addSong(t.server, 'song-leaving', `ar-leaving-${backend}`);
    expect((await upload(gone.token, '/songs/song-leaving/audio', fileForm(fx.ogg))).status).toBe(
      200,
    );
    expect((await upload(gone.token, '/me/avatar', fileForm(fx.png))).status).toBe(200);
    await t.server.context.runner.idle();
    expect((await objectsUnder('media/audio/song-leaving/')).length).toBe(4);
    expect((await send(gone.token, 'DELETE', '/me')).status).toBe(204);
    expect(await objectsUnder('media/audio/song-leaving/')).toEqual([]);
    expect(await objectsUnder(`media/avatars/${gone.id}`)).toEqual([]);
  });
});
