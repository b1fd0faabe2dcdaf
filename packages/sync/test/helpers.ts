import { mulberry32 as prng } from '@spoti/internal';
import { type CatalogStore, type Play, createMemoryStore, playKey } from '@spoti/catalog';
import { createMemoryTokenStore, type SpotifyClient, createSpotifyClient } from '@spoti/client';
import { type MockServer, type PersonaName, type ProfileName, startMock } from '@spoti/mock';
import { httpFetch } from './http-fetch.js';
import {
  createMemorySyncStateStore,
  type Sync,
  type SyncOptions,
  type SyncStateStore,
  createSync,
} from '../src/index.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Harness {
  readonly mock: MockServer;
  readonly userId: string;
  readonly client: SpotifyClient;
  readonly user: { id: string; client: SpotifyClient };
  close(): Promise<void>;
}

/** A mock, one of its users (by persona) and a fast client on the mock's clock. */
export async function harness(
  options: {
    seed?: number;
    profile?: ProfileName;
    persona?: PersonaName;
    maxRetryAfterMs?: number;
    quota?: { daily: number };
    size?: 'tiny' | 'small';
    clientMode?: 'development' | 'extended' | 'auto';
  } = {},
): Promise<Harness> {
  const mock = await startMock({
    seed: options.seed ?? 7,
    profile: options.profile ?? 'development-2026',
    port: 0,
    worldOptions: {
      size: options.size ?? 'tiny',
      historyDays: 30,
      personas: [options.persona ?? 'heavy-pop', 'night-owl', 'jazz-commuter'],
    },
    ...(options.quota ? { quota: options.quota } : {}),
  });
  const users = [...mock.world.users.values()];
  const chosen =
    users.find((u) => u.persona === (options.persona ?? 'heavy-pop')) ??
    (users[0] as (typeof users)[number]);
  const issued = mock.controls.auth.issueTokens({
    userId: chosen.id,
    expiresInSeconds: 10 * 365 * 86_400,
  });
  const client = createSpotifyClient({
    apiBaseUrl: mock.apiUrl,
    accountsBaseUrl: mock.accountsUrl,
    clientId: 'sync-tests',
    mode: options.clientMode ?? (options.profile === 'extended' ? 'extended' : 'development'),
    tokenStore: createMemoryTokenStore({
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      expiresAt: mock.controls.clock.now() + 10 * 365 * 86_400_000,
    }),
    clock: mock.controls.clock,
    random: prng(1),
    callBudget: 10_000,
    fetch: httpFetch,
    rateLimit: {
      allowance: 1_000_000,
      maxConcurrent: 4,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    },
    retry: { retries: 4, minTimeout: 1, maxTimeout: 4, factor: 2 },
  });
  return {
    mock,
    userId: chosen.id,
    client,
    user: { id: chosen.id, client },
    async close() {
      await client.close();
      await mock.close();
    },
  };
}

/** A sync on a memory catalog and memory state, on the mock's clock. */
export function memorySync(
  h: Harness,
  extra: Partial<SyncOptions> = {},
): { sync: Sync; store: CatalogStore; state: SyncStateStore } {
  const store = (extra.store as CatalogStore | undefined) ?? createMemoryStore();
  const state = (extra.state as SyncStateStore | undefined) ?? createMemorySyncStateStore();
  let n = 0;
  const sync = createSync({
    clock: h.mock.controls.clock,
    newId: () => `id-${++n}`,
    ...extra,
    store,
    state,
  });
  return { sync, store, state };
}

/** The keys of the plays the recently-played endpoint can show (>= 30 s) in (from, to]. */
export function truthKeys(h: Harness, from: number, to: number): string[] {
  return h.mock.controls.truth
    .plays(h.userId)
    .filter((p) => p.msPlayed >= 30_000 && p.endedAtMs > from && p.endedAtMs <= to)
    .map((p) =>
      playKey({
        userId: h.userId,
        trackId: p.trackId,
        artistName: '',
        trackName: '',
        endedAt: p.endedAtMs,
      }),
    );
}

/** Keys of the plays stored for the user. */
export async function storedKeys(store: CatalogStore, userId: string): Promise<string[]> {
  const plays: Play[] = await store.listPlays({ userId });
  return plays.map((p) => playKey(p));
}

/** Thrown by {@link crashy} wrappers: a simulated process crash at that point. */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

/**
 * Wraps a store so that each call of the named methods fails with probability `rate` (seeded),
 * before or after doing its work: a crash between any two steps of a run.
 */
export function crashy<T extends object>(
  target: T,
  methods: readonly string[],
  random: () => number,
  control: { rate: number },
): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!methods.includes(String(prop))) return value.bind(obj);
      return async (...args: unknown[]) => {
        if (random() < control.rate) throw new InjectedCrash(`crash before ${String(prop)}`);
        const result = await value.apply(obj, args);
        if (random() < control.rate) throw new InjectedCrash(`crash after ${String(prop)}`);
        return result;
      };
    },
  });
}

/** A seeded PRNG (mulberry32). */
export { prng };
