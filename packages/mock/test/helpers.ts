import { afterEach } from 'vitest';
import { type MockOptions, type MockServer, startMock } from '../src/index.js';
import { tinyWorld } from './fixtures/tiny-world.js';

const open: MockServer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((mock) => mock.close()));
});

/** Starts a mock on the tiny fixture world; closed after each test. */
export async function start(options: MockOptions = {}): Promise<MockServer> {
  const mock = await startMock({ world: tinyWorld(), ...options });
  open.push(mock);
  return mock;
}

/** A response read as JSON (undefined for an empty body). */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected loosely
  readonly body: any;
}

/** Starts a mock that generates its world from `seed` and `worldOptions`; closed after each test. */
export async function startGenerated(options: MockOptions = {}): Promise<MockServer> {
  const mock = await startMock(options);
  open.push(mock);
  return mock;
}

/** A fetch bound to a bearer token. */
export function api(
  mock: MockServer,
  token?: string,
): (path: string, init?: RequestInit) => Promise<ApiResponse> {
  const bearer = token ?? mock.controls.auth.issueTokens().access_token;
  return async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${mock.apiUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${bearer}`, ...(init.headers as Record<string, string>) },
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected loosely
    const body: any = text === '' ? undefined : JSON.parse(text);
    return { status: response.status, headers: response.headers, body };
  };
}
