import { randomUUID } from 'node:crypto';
import type { CatalogStore } from '@spoti/catalog';
import type { SpotifyClient } from '@spoti/client';
import { parseOrFail } from '@spoti/internal';
import { z } from 'zod';
import { SyncError, type SyncErrorCode } from '../errors/sync-error.js';
import type { SyncStateStore } from '../state/sync-state-store.js';

const obj = <T>(label: string, ...methods: string[]) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `${label} must implement ${methods.join(', ')}` },
  );

/**
 * A time source (epoch ms).
 *
 * @example
 * ```ts
 * const clock: SyncClock = { now: () => Date.now() };
 * ```
 */
export interface SyncClock {
  now(): number;
}

/**
 * Schema of {@link SyncOptions}; every default lives here.
 *
 * @example
 * ```ts
 * const resolved = syncOptionsSchema.parse({ store, state });
 * console.log(resolved.library.reconcileEveryMs); // 604800000
 * ```
 */
export const syncOptionsSchema = z.object({
  /** The catalog store plays, tracks, likes and follows are written to. */
  store: obj<CatalogStore>('store', 'appendPlays', 'upsertTracks', 'transaction', 'getTrack'),
  /** Where cursors, checkpoints, gaps, the library mirror, availability and the run log live. */
  state: obj<SyncStateStore>('state', 'getValue', 'setValue', 'appendRun', 'listLibrary'),
  /** Time source; use the mock's clock in tests. Default: `Date.now`. */
  clock: obj<SyncClock>('clock', 'now').optional(),
  /** Makes run and gap ids. Default: `crypto.randomUUID`. */
  newId: z
    .custom<() => string>((v) => typeof v === 'function', { message: 'newId must be a function' })
    .optional(),
  plays: z
    .object({
      /** Shortest poll interval recommended. */
      minIntervalMs: z.number().int().positive().default(120_000),
      /** Longest poll interval recommended (and the answer while the rate is unknown). */
      maxIntervalMs: z.number().int().positive().default(3_600_000),
    })
    .prefault({}),
  library: z
    .object({
      /** A full reconcile (removals included) runs when the last one is older than this. */
      reconcileEveryMs: z
        .number()
        .int()
        .positive()
        .default(7 * 86_400_000),
      /** Albums whose track lists one run may fetch (the rest wait for the next run). */
      albumTracksPerRun: z.number().int().positive().default(100),
      /** Market for library reads (`from_token`: the user's country), or none. */
      market: z.string().min(2).optional(),
    })
    .prefault({}),
  import: z
    .object({
      /** Plays written per transaction (and checkpoint). */
      batchSize: z.number().int().positive().max(10_000).default(5000),
      /** Track lookups one import run may make to resolve tracks the store does not know. */
      resolveBudget: z.number().int().min(0).default(100),
    })
    .prefault({}),
  availability: z
    .object({
      /** Track lookups per availability run (development mode: one call per track). */
      maxCallsPerRun: z.number().int().positive().default(50),
      /** Market to check playability in. */
      market: z.string().min(2).default('from_token'),
    })
    .prefault({}),
});

/** Options of {@link createSync}. */
export type SyncOptions = z.input<typeof syncOptionsSchema>;
/** Options after validation and defaults. */
export type ResolvedSyncOptions = z.output<typeof syncOptionsSchema>;

/** The account one run works on: the catalog user id and a client holding that user's tokens. */
export interface SyncUser {
  /** The user id plays and library entries are recorded under in the catalog. */
  readonly id: string;
  /** A `@spoti/client` client authorised as this user. */
  readonly client: SpotifyClient;
}

const userSchema = z.object({
  id: z.string().min(1, 'user.id must be a non-empty string'),
  client: obj<SpotifyClient>('user.client', 'getRecentlyPlayed', 'measure', 'request'),
});

/**
 * Validates a value once, at the boundary: the parsed value, or a {@link SyncError} (code
 * `INVALID_OPTIONS` unless given) whose message is `Invalid <what>: <path>: <problem>; ...`
 * (`(root)` for the value itself), with the zod error as its cause.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  code: SyncErrorCode = 'INVALID_OPTIONS',
): z.output<S> {
  return parseOrFail(
    schema,
    value,
    (problems, cause) => new SyncError({ code, message: `Invalid ${what}: ${problems}`, cause }),
  );
}

/** Validates a {@link SyncUser}. */
export function parseUser(user: unknown): SyncUser {
  return parseWith(userSchema, user, 'user') as SyncUser;
}

/** Resolves options (defaults applied). */
export function resolveSyncOptions(options: SyncOptions): ResolvedSyncOptions & {
  readonly now: () => number;
  readonly nextId: () => string;
} {
  const resolved = parseWith(syncOptionsSchema, options, 'sync options');
  if (resolved.plays.minIntervalMs > resolved.plays.maxIntervalMs) {
    throw new SyncError({
      code: 'INVALID_OPTIONS',
      message: 'Invalid sync options: plays.minIntervalMs must not exceed plays.maxIntervalMs',
    });
  }
  const clock = resolved.clock;
  return {
    ...resolved,
    now: clock ? () => clock.now() : () => Date.now(),
    nextId: resolved.newId ?? (() => randomUUID()),
  };
}
