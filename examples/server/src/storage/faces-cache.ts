import type { ProfileSources, ProfileSourcesCache } from '@spoti/sync';
import { type Kysely, sql } from 'kysely';

/** A cached profile, as JSON, with when it was collected. */
export interface CachedProfile {
  readonly profile: unknown;
  readonly collectedAt: number;
}

/** The answer of {@link FaceCacheStore.useRegeneration}. */
export type RegenerationAnswer =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** Regenerations within the window. */
      readonly used: number;
      /** When the oldest of them leaves the window (Unix ms). */
      readonly nextAt: number;
    };

const num = (v: number | string): number => Number(v);

/** The user's cache generation: read before collecting, stored with the profile. */
async function generation(db: Kysely<unknown>, userId: string): Promise<number> {
  const { rows } = await sql<{ generation: number | string }>`
    select generation from spoti_server_face_cache_marks where user_id = ${userId}`.execute(db);
  return num(rows[0]?.generation ?? 0);
}

/**
 * The user's profile for a period when it is fresh: collected at or after `notBefore`, in
 * `timeZone`, and in the user's current cache generation; otherwise null.
 */
async function freshProfile(
  db: Kysely<unknown>,
  userId: string,
  period: string,
  timeZone: string,
  notBefore: number,
): Promise<CachedProfile | null> {
  const { rows } = await sql<{ profile: string; collected_at: number | string }>`
    select p.profile, p.collected_at from spoti_server_face_profiles p
    left join spoti_server_face_cache_marks m on m.user_id = p.user_id
    where p.user_id = ${userId} and p.period = ${period} and p.time_zone = ${timeZone}
      and p.collected_at >= ${notBefore}
      and p.generation = coalesce(m.generation, 0)`.execute(db);
  const row = rows[0];
  return row === undefined
    ? null
    : { profile: JSON.parse(row.profile) as unknown, collectedAt: num(row.collected_at) };
}

/** The last profile collected for the period, fresh or not (shown when Spotify refuses). */
async function lastProfile(
  db: Kysely<unknown>,
  userId: string,
  period: string,
): Promise<CachedProfile | null> {
  const { rows } = await sql<{ profile: string; collected_at: number | string }>`
    select profile, collected_at from spoti_server_face_profiles
    where user_id = ${userId} and period = ${period}`.execute(db);
  const row = rows[0];
  return row === undefined
    ? null
    : { profile: JSON.parse(row.profile) as unknown, collectedAt: num(row.collected_at) };
}

/**
 * Stores the profile collected for a period (a repeat writes the same row), with the cache
 * generation read before collecting: a collection that overlapped a sync is already stale.
 */
async function saveProfile(
  db: Kysely<unknown>,
  userId: string,
  entry: {
    period: string;
    timeZone: string;
    generation: number;
    profile: unknown;
    collectedAt: number;
  },
): Promise<void> {
  await sql`
    insert into spoti_server_face_profiles
      (user_id, period, time_zone, generation, profile, collected_at)
    values (${userId}, ${entry.period}, ${entry.timeZone}, ${entry.generation},
      ${JSON.stringify(entry.profile)}, ${entry.collectedAt})
    on conflict (user_id, period) do update set profile = excluded.profile,
      time_zone = excluded.time_zone, generation = excluded.generation,
      collected_at = excluded.collected_at`.execute(db);
}

/**
 * Makes every profile of the user collected so far (or being collected) stale. Writes
 * nothing for a user that no longer exists (a late sync hook after an account deletion).
 */
async function markStale(db: Kysely<unknown>, userId: string): Promise<void> {
  await sql`
    insert into spoti_server_face_cache_marks (user_id, generation)
    select ${userId}, 1 where exists (select 1 from spoti_server_users where id = ${userId})
    on conflict (user_id) do update set
      generation = spoti_server_face_cache_marks.generation + 1`.execute(db);
}

/**
 * Counts a regeneration if the user made fewer than `limit` in the `windowMs` before `now`.
 * The user's row in `spoti_server_users` is locked for the check, so concurrent requests of
 * one user (in any process) are counted one after the other.
 */
function useRegeneration(
  db: Kysely<unknown>,
  userId: string,
  now: number,
  limit: number,
  windowMs: number,
): Promise<RegenerationAnswer> {
  return db.transaction().execute(async (tx) => {
    await sql`select id from spoti_server_users where id = ${userId} for update`.execute(tx);
    const since = now - windowMs;
    await sql`delete from spoti_server_face_regenerations
      where user_id = ${userId} and at <= ${since}`.execute(tx);
    const { rows } = await sql<{ used: number | string; oldest: number | string | null }>`
      select count(*) as used, min(at) as oldest from spoti_server_face_regenerations
      where user_id = ${userId}`.execute(tx);
    const used = num(rows[0]?.used ?? 0);
    if (used >= limit) {
      return { allowed: false, used, nextAt: num(rows[0]?.oldest ?? now) + windowMs };
    }
    await sql`insert into spoti_server_face_regenerations (user_id, at)
      values (${userId}, ${now})`.execute(tx);
    return { allowed: true };
  });
}

/**
 * The studio's caches and limit in the database (migration `0009-face-cache`), shared by every
 * process: the profile cache (the last profile per user and period, fresh within a TTL and until
 * a sync moves the user's cache generation on), the Web API part of profiles (a `ProfileSourcesCache` of
 * `@spoti/sync`), and the per-user regeneration log.
 */
export function createFaceCacheStore(db: Kysely<unknown>) {
  return {
    generation: generation.bind(null, db),
    freshProfile: freshProfile.bind(null, db),
    lastProfile: lastProfile.bind(null, db),
    saveProfile: saveProfile.bind(null, db),
    markStale: markStale.bind(null, db),
    useRegeneration: useRegeneration.bind(null, db),
    /** The Web API part of profiles, kept per user in `spoti_server_face_sources`. */
    sources: createDbSourcesCache(db),
  };
}

/** The store of {@link createFaceCacheStore}. */
export type FaceCacheStore = ReturnType<typeof createFaceCacheStore>;

function createDbSourcesCache(db: Kysely<unknown>): ProfileSourcesCache {
  return {
    async get(userId) {
      const { rows } = await sql<{ sources: string }>`
        select sources from spoti_server_face_sources where user_id = ${userId}`.execute(db);
      const row = rows[0];
      return row === undefined ? undefined : (JSON.parse(row.sources) as ProfileSources);
    },
    async set(userId, sources) {
      await sql`
        insert into spoti_server_face_sources (user_id, sources, fetched_at)
        values (${userId}, ${JSON.stringify(sources)}, ${sources.fetchedAt})
        on conflict (user_id) do update set sources = excluded.sources,
          fetched_at = excluded.fetched_at`.execute(db);
    },
    async delete(userId) {
      await sql`delete from spoti_server_face_sources where user_id = ${userId}`.execute(db);
    },
  };
}
