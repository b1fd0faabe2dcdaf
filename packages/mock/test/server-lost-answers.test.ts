import { describe, expect, it } from 'vitest';
import { fixtureId } from './fixtures/tiny-world.js';
import { api, start } from './helpers.js';

const json = (method: string, body: unknown) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json' },
});
const uri = (n: number) => `spotify:track:${fixtureId('Trk', n)}`;

describe('lost answers', () => {
  it('a scripted lost answer waits for the next write, applies it and drops the answer', async () => {
    const mock = await start();
    const call = api(mock);
    const id = (await call('/me/playlists', json('POST', { name: 'Lost' }))).body.id as string;
    mock.controls.faults.script([{ lostAnswer: true }, { status: 503 }]);
    // Reads pass the waiting step by.
    expect((await call(`/playlists/${id}/items`)).body.total).toBe(0);
    await expect(
      call(`/playlists/${id}/items`, json('POST', { uris: [uri(0)] })),
    ).rejects.toThrow();
    // The write was applied although its answer never arrived; the next step follows.
    expect((await call(`/playlists/${id}/items`)).status).toBe(503);
    const items = await call(`/playlists/${id}/items`);
    expect(items.body.items.map((i: { item: { uri: string } }) => i.item.uri)).toEqual([uri(0)]);
    const log = mock.controls.requests.log();
    expect(log.find((e) => e.method === 'POST' && e.path.endsWith('/items'))).toMatchObject({
      status: 201,
      answerLost: 'dropped',
    });
  });

  it('holds the answer back past a timeout with delayMs', async () => {
    const mock = await start();
    const call = api(mock);
    mock.controls.faults.script([{ lostAnswer: true, delayMs: 2_000 }]);
    const signal = AbortSignal.timeout(100);
    await expect(
      call('/me/playlists', { ...json('POST', { name: 'Slow answer' }), signal }),
    ).rejects.toThrow();
    const mine = await call('/me/playlists?limit=50');
    expect(mine.body.items.map((p: { name: string }) => p.name)).toContain('Slow answer');
    expect(mock.controls.requests.log().at(-2)).toMatchObject({
      method: 'POST',
      status: 201,
      answerLost: 'delayed',
    });
  });

  it('hits every write endpoint at the given rate, never reads, from the seeded PRNG', async () => {
    const run = async () => {
      const mock = await start({ seed: 3, faults: { lostAnswerRate: 0.5 } });
      const call = api(mock);
      const outcomes: string[] = [];
      for (let k = 0; k < 12; k++) {
        expect((await call('/me')).status).toBe(200);
        const write = [
          () => call(`/me/library?uris=${uri(k)}`, { method: 'PUT' }),
          () => call(`/me/library?uris=${uri(k - 1)}`, { method: 'DELETE' }),
          () => call('/me/playlists', json('POST', { name: `p${k}` })),
        ][k % 3]!;
        outcomes.push(
          await write().then(
            (r) => String(r.status),
            () => 'lost',
          ),
        );
      }
      return outcomes;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(first).toContain('lost');
    expect(first.some((o) => o !== 'lost')).toBe(true);
  });

  it('validates the rate', async () => {
    const mock = await start();
    expect(() => mock.controls.faults.set({ lostAnswerRate: 1.5 })).toThrow(
      /Invalid fault settings/,
    );
  });
});

describe('Cache-Control as Spotify sends it', () => {
  it('playlist reads must be revalidated (max-age=0), catalogue objects may be kept', async () => {
    const mock = await start();
    const call = api(mock);
    const id = (await call('/me/playlists', json('POST', { name: 'Fresh' }))).body.id as string;
    for (const path of [`/playlists/${id}`, `/playlists/${id}/items`, '/me/playlists']) {
      const response = await call(path);
      expect(response.headers.get('cache-control')).toBe('private, max-age=0');
      expect(response.headers.get('etag')).toMatch(/^".+"$/);
    }
    const artist = await call(`/artists/${fixtureId('Art', 1)}`);
    expect(artist.headers.get('cache-control')).toBe('private, max-age=3600');
  });
});
