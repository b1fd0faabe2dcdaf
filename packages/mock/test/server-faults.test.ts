import { describe, expect, it } from 'vitest';
import { api, start } from './helpers.js';

describe('scripted faults', () => {
  it('applies each step to the next request, then serves normally', async () => {
    const mock = await start();
    const call = api(mock);
    mock.controls.faults.script([
      { status: 503 },
      { status: 429, retryAfterSeconds: 2 },
      { malformed: true },
      { latencyMs: 20 },
      { earlyExpiry: true },
      { drop: true },
    ]);
    const unavailable = await call('/me');
    expect(unavailable.status).toBe(503);
    expect(unavailable.body.error.status).toBe(503);
    const limited = await call('/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    const broken = await fetch(`${mock.apiUrl}/me`);
    expect(broken.status).toBe(200);
    await expect(broken.json()).rejects.toThrow();
    expect((await call('/me')).status).toBe(200);
    const expired = await call('/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toBe('The access token expired');
    await expect(call('/me')).rejects.toThrow();
    expect((await call('/me')).status).toBe(200);
    expect(mock.controls.requests.log().map((e) => e.status)).toEqual([
      503, 429, 200, 200, 401, 0, 200,
    ]);
  });
});

describe('random faults', () => {
  it('draws errors from the seeded PRNG, only on matching paths', async () => {
    const run = async () => {
      const mock = await start({
        seed: 7,
        faults: { errorRate: 0.5, statuses: [502, 503], paths: /\/me\/top/ },
      });
      const call = api(mock);
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await call('/me/top/artists')).status);
      expect((await call('/me')).status).toBe(200);
      return statuses;
    };
    const first = await run();
    expect(first).toEqual(await run());
    expect(first.some((s) => s === 200)).toBe(true);
    expect(first.some((s) => s === 502 || s === 503)).toBe(true);
    expect(first.every((s) => [200, 502, 503].includes(s))).toBe(true);
  });

  it('drops, breaks and expires at the given rates, and clears', async () => {
    const mock = await start();
    const call = api(mock);
    mock.controls.faults.set({ dropRate: 1 });
    await expect(call('/me')).rejects.toThrow();
    mock.controls.faults.set({ malformedRate: 1 });
    await expect(call('/me')).rejects.toThrow(SyntaxError);
    mock.controls.faults.set({ earlyExpiryRate: 1 });
    expect((await call('/me')).status).toBe(401);
    mock.controls.faults.set({ latencyMs: 5 });
    expect((await call('/me')).status).toBe(200);
    mock.controls.faults.clear();
    expect((await call('/me')).status).toBe(200);
    expect(() => mock.controls.faults.set({ errorRate: 2 })).toThrow(/Invalid fault settings/);
  });
});
