import { type CatalogStore, isTimeZone } from '@spoti/catalog';
import type { SpotifyClient } from '@spoti/client';
import { z } from 'zod';
import { RELEASE_GROUPS, type ReleaseGroup } from './domain/types.js';
import { DIGEST_CADENCES, type DigestCadence } from './logic/schedule.js';
import type { Mailer } from './digest/mailer.js';
import type { ReleaseStore } from './store/release-store.js';

const obj = <T>(label: string, ...methods: string[]) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `${label} must implement ${methods.join(', ')}` },
  );

/**
 * The `include_groups` values, validated.
 *
 * @example
 * ```ts
 * releaseGroupSchema.parse('appears_on');
 * ```
 */
export const releaseGroupSchema = z.enum(RELEASE_GROUPS as [ReleaseGroup, ...ReleaseGroup[]]);

/**
 * The part of `SpotifyClient` the watcher's sweeps use (one app-level client for every artist).
 *
 * @example
 * ```ts
 * const client: WatcherClient = createSpotifyClient({ clientId: 'id', clientSecret: 'secret', cache: false });
 * ```
 */
export type WatcherClient = Pick<SpotifyClient, 'getArtistAlbums'> &
  Partial<Pick<SpotifyClient, 'measure'>>;

/**
 * Schema of {@link ReleaseWatcherOptions}; every default lives here.
 *
 * @example
 * ```ts
 * const defaults = watcherOptionsSchema.parse({ store, client }); // defaults.horizonDays === 60
 * ```
 */
export const watcherOptionsSchema = z.object({
  /** Where state lives (`createMemoryReleaseStore()`, `createPgliteReleaseStore()`, ...). */
  store: obj<ReleaseStore>('store', 'commitScan', 'listDueArtists', 'createDigest'),
  /** The client sweeps call `GET /artists/{id}/albums` with (any user's or an app token). */
  client: obj<WatcherClient>('client', 'getArtistAlbums'),
  /** Mirror every new edition into a catalog store as an `Album` (optional). */
  catalog: obj<CatalogStore>('catalog', 'upsertAlbums').optional(),
  /** Time source (Unix ms). Default: `Date.now`. */
  clock: obj<{ now(): number }>('clock', 'now').optional(),
  /** Groups scanned per artist, one request each. Default album and single. */
  groups: z.array(releaseGroupSchema).min(1).default(['album', 'single']),
  /** Page size asked for; the client caps it (10 in development mode, 50 in extended). */
  pageSize: z.number().int().min(1).max(50).default(50),
  /** Ask for one market's editions only (fewer duplicates to fold, same result). */
  market: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code')
    .optional(),
  /**
   * A release first seen by the watcher counts as new when its date reaches into the last
   * `horizonDays` (so old albums added to Spotify late still count); older ones are back
   * catalogue. Scans page back this far.
   */
  horizonDays: z.number().int().min(1).max(3650).default(60),
  /** Editions with the same fold key whose dates are at most this far apart are one release. */
  foldWindowDays: z.number().int().min(0).max(365).default(30),
  /** Least time between two scans of one artist. Default 24 h. */
  artistIntervalMs: z.number().int().min(0).default(86_400_000),
  /** Requests in flight at once during a sweep (the client also paces). */
  concurrency: z.number().int().min(1).max(64).default(4),
  budget: z
    .object({
      /** Calls per rolling window the app may make (keep it equal to the client's). */
      allowance: z.number().int().positive().default(180),
      /** The rolling window, ms. */
      windowMs: z.number().int().positive().default(30_000),
      /** How long one sweep may take at that pace; sets the calls of one sweep. Default 30 min. */
      sweepDurationMs: z.number().int().positive().default(1_800_000),
      /** Calls per UTC day across sweeps (Spotify's daily quota is not published). */
      dailyCalls: z.number().int().positive().default(25_000),
      /** A hard cap on the calls of one sweep. */
      maxCallsPerSweep: z.number().int().positive().optional(),
    })
    .prefault({}),
});

/**
 * Options of {@link createReleaseWatcher}.
 *
 * @example
 * ```ts
 * const options: ReleaseWatcherOptions = { store, client, groups: ['album', 'single', 'compilation'], horizonDays: 90 };
 * ```
 */
export type ReleaseWatcherOptions = z.input<typeof watcherOptionsSchema>;
/**
 * Options after validation and defaults.
 *
 * @example
 * ```ts
 * const { budget }: ResolvedWatcherOptions = watcher.options;
 * ```
 */
export type ResolvedWatcherOptions = z.output<typeof watcherOptionsSchema>;

/**
 * A digest cadence, validated: `biweekly` (every 14 days) or `weekly`.
 *
 * @example
 * ```ts
 * digestCadenceSchema.parse('weekly');
 * ```
 */
export const digestCadenceSchema = z.enum(DIGEST_CADENCES as [DigestCadence, ...DigestCadence[]]);

/**
 * Schema of {@link SubscriberInput}.
 *
 * @example
 * ```ts
 * subscriberInputSchema.parse({ id: 'u1', email: 'ada@example.com' }).cadenceDays; // 14
 * ```
 */
export const subscriberInputSchema = z.object({
  id: z.string().min(1),
  email: z.email(),
  displayName: z.string().nullable().default(null),
  timeZone: z
    .string()
    .default('UTC')
    .refine((tz) => isTimeZone(tz), { message: 'an IANA time zone' }),
  cadenceDays: z.number().int().min(1).max(365).default(14),
  /** Sets `cadenceDays` (14 or 7) when given. */
  cadence: digestCadenceSchema.optional(),
  sources: z
    .object({
      followed: z.boolean().default(true),
      savedTracks: z.boolean().default(false),
      savedAlbums: z.boolean().default(false),
    })
    .prefault({}),
  include: z.array(z.string().regex(/^[A-Za-z0-9]+$/, 'a Spotify artist id')).default([]),
  exclude: z.array(z.string().regex(/^[A-Za-z0-9]+$/, 'a Spotify artist id')).default([]),
  /** Groups this subscriber wants; default: the watcher's groups. */
  groups: z.array(releaseGroupSchema).min(1).optional(),
});

/**
 * A subscriber as given to `upsertSubscriber` (defaults filled in there).
 *
 * @example
 * ```ts
 * const input: SubscriberInput = { id: 'u1', email: 'ada@example.com', exclude: ['0OdUWJ0sBjDrqHygGUXeCF'] };
 * ```
 */
export type SubscriberInput = z.input<typeof subscriberInputSchema>;

/**
 * Schema of {@link SubscriptionInput}: what a sign-up form sends (double opt-in).
 *
 * @example
 * ```ts
 * subscriptionInputSchema.parse({ id: 'u1', email: 'ada@example.com' }).cadence; // 'biweekly'
 * ```
 */
export const subscriptionInputSchema = z.object({
  /** The account the subscription belongs to (e.g. the Spotify user id). */
  id: z.string().min(1).max(256),
  email: z.email().max(254),
  displayName: z.string().max(256).nullable().default(null),
  timeZone: z
    .string()
    .default('UTC')
    .refine((tz) => isTimeZone(tz), { message: 'an IANA time zone' }),
  cadence: digestCadenceSchema.default('biweekly'),
});

/**
 * A sign-up as given to `subscribe` (defaults: UTC, every two weeks).
 *
 * @example
 * ```ts
 * const input: SubscriptionInput = { id: 'u1', email: 'ada@example.com', cadence: 'weekly', timeZone: 'Europe/Oslo' };
 * ```
 */
export type SubscriptionInput = z.input<typeof subscriptionInputSchema>;

/**
 * Schema of {@link SubscribeOptions}.
 *
 * @example
 * ```ts
 * subscribeOptionsSchema.parse({ mailer, from: 'r@example.com', confirmation: { secret, baseUrl: 'https://example.com/c' } }).confirmation.ttlMs; // 172800000
 * ```
 */
export const subscribeOptionsSchema = z.object({
  mailer: obj<Mailer>('mailer', 'send'),
  /** The From address. */
  from: z.string().min(3),
  confirmation: z.object({
    /** HMAC secret of confirmation tokens (at least 16 characters). */
    secret: z.string().min(16),
    /** Page that takes `?token=`; the token is appended. */
    baseUrl: z.url(),
    /** How long the link works. Default 48 hours. */
    ttlMs: z
      .number()
      .int()
      .min(60_000)
      .max(30 * 86_400_000)
      .default(172_800_000),
    /**
     * Least time between two confirmation mails to the same pending address (a sign-up form
     * submitted again does not mail again sooner). Default 5 minutes.
     */
    resendAfterMs: z.number().int().min(0).max(86_400_000).default(300_000),
  }),
});

/**
 * Options of `subscribe`: how the confirmation mail is sent.
 *
 * @example
 * ```ts
 * const options: SubscribeOptions = { mailer, from: 'releases@example.com', confirmation: { secret, baseUrl: 'https://example.com/releases/confirm' } };
 * ```
 */
export type SubscribeOptions = z.input<typeof subscribeOptionsSchema>;
