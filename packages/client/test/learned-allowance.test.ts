import type { MockServer } from '@spoti/mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isSpotifyRateLimitError,
  type RateLimitInfo,
  type SpotifyClient,
  type SpotifyLogger,
} from '../src/index.js';
import { artistIds, mock, userClient } from './helpers.js';

let server: MockServer | undefined;
let client: SpotifyClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

function recordingLogger() {
  const lines: Array<{ level: string; message: string; data: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (data: Record<string, unknown>, message: string): void => {
      lines.push({ level, message, data });
    };
  const logger: SpotifyLogger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}

/** Runs of consecutive 429s in the server's log. */
function bursts(s: MockServer): number {
  const statuses = s.controls.requests.log().map((e) => e.status);
  return statuses.filter((status, i) => status === 429 && statuses[i - 1] !== 429).length;
}

describe('the allowance is learned from 429s when none is configured (issue 13 item 14)', () => {
  it('measures the real allowance from the first refusal and stops hitting it', async () => {
    server = await mock({ rateLimit: { windowMs: 1000, allowance: 30 } });
    const { logger, lines } = recordingLogger();
    // No allowance: the client starts from its guess (180 per window), six times too high.
    client = userClient(server, {
      cache: false,
      logger,
      rateLimit: { windowMs: 1000, maxConcurrent: 4 },
    });
    expect(client.allowance).toBe(180);
    const ids = artistIds(server, 100);
    const artists = await Promise.all(ids.map((id) => client!.getArtist(id)));
    expect(artists.map((a) => a.id)).toEqual(ids);
    // Measured from what the server accepted (arrival jitter on a loaded machine may shift the
    // count by a call or two, or cost one 10% decrease).
    expect(client.allowance).toBeLessThanOrEqual(32);
    expect(client.allowance).toBeGreaterThanOrEqual(22);
    // One burst measures the allowance (a second only if scheduling jitter on a loaded machine
    // squeezes a call in early); a fixed guess of 180 is refused in every window.
    expect(bursts(server)).toBeLessThanOrEqual(2);
    const learned = lines.filter((l) => l.level === 'info');
    expect(learned[0]?.message).toMatch(/allowance 180 -> \d+ calls per window \(measured\)/);
    expect(lines.some((l) => l.level === 'warn' && /rate limited/.test(l.message))).toBe(true);
    expect(lines.filter((l) => l.level === 'debug').length).toBeGreaterThanOrEqual(200);
  });

  it('a configured allowance is kept as it is', async () => {
    server = await mock({ rateLimit: { windowMs: 1000, allowance: 10, retryAfterSeconds: 1 } });
    client = userClient(server, {
      cache: false,
      rateLimit: { windowMs: 1000, allowance: 40, maxConcurrent: 4 },
    });
    await Promise.all(artistIds(server, 20).map((id) => client!.getArtist(id)));
    expect(server.controls.requests.log().some((e) => e.status === 429)).toBe(true);
    expect(client.allowance).toBe(40);
  });
});

describe('onRateLimit decides whether to wait (Octokit-style)', () => {
  it('false fails the call at once with resumeAt; true waits and retries', async () => {
    server = await mock({});
    const asked: RateLimitInfo[] = [];
    let answer = false;
    client = userClient(server, {
      cache: false,
      onRateLimit: async (info) => {
        asked.push(info);
        return answer;
      },
    });
    server.controls.faults.script([{ status: 429, retryAfterSeconds: 1 }]);
    const error = await client.getMe().catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error) && error.retryAfterMs).toBe(1000);
    expect(isSpotifyRateLimitError(error) && error.scope).toBe('window');
    expect(isSpotifyRateLimitError(error) && error.resumeAt).toBeGreaterThan(Date.now());
    expect(asked).toEqual([
      expect.objectContaining({
        endpoint: 'GET /me',
        method: 'GET',
        path: '/me',
        retryAfterMs: 1000,
        scope: 'window',
        attempt: 1,
      }),
    ]);
    expect(client.callCounts()['GET /me']).toBe(1);

    // The cooldown Spotify asked for still holds the next call back; then it is asked again.
    answer = true;
    server.controls.faults.script([{ status: 429, retryAfterSeconds: 0 }]);
    expect((await client.getMe()).type).toBe('user');
    expect(asked).toHaveLength(2);
  });

  it('a callback that throws fails the call instead of hanging or crashing', async () => {
    server = await mock({});
    const { logger, lines } = recordingLogger();
    client = userClient(server, {
      cache: false,
      logger,
      onRateLimit: () => {
        throw new Error('callback bug');
      },
    });
    server.controls.faults.script([{ status: 429, retryAfterSeconds: 0 }]);
    const error = await client.getMe().catch((e: unknown) => e);
    expect(isSpotifyRateLimitError(error)).toBe(true);
    expect(lines.some((l) => /onRateLimit threw/.test(l.message))).toBe(true);
  });
});
