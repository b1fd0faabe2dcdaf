import {
  type ListeningProfile,
  type PublicTrends,
  aggregateTrends,
  buildListeningProfile,
} from '@spoti/analytics';
import type { CatalogStore } from '@spoti/catalog';
import { type Kysely, sql } from 'kysely';
import type { ServerDatabase } from '../storage/schema.js';

const DAY_MS = 86_400_000;

/** Public trends of this instance for the home page. */
export interface InstanceTrends {
  readonly week: PublicTrends;
  readonly month: PublicTrends;
  readonly computedAt: number;
}

/**
 * Public trends over every listener of the instance through `@spoti/analytics`'s k-anonymous
 * aggregation: nothing is shown that fewer than `k` listeners share. Recomputed at most every
 * ten minutes.
 */
export class TrendsService {
  #cached: Promise<InstanceTrends> | null = null;
  #at = 0;

  constructor(
    private readonly catalog: CatalogStore,
    private readonly db: Kysely<ServerDatabase>,
    private readonly userIds: () => Promise<string[]>,
    private readonly k: number,
    private readonly ttlMs = 600_000,
  ) {}

  get(now: number): Promise<InstanceTrends> {
    if (this.#cached === null || now - this.#at > this.ttlMs) {
      this.#at = now;
      this.#cached = this.#compute(now);
      this.#cached.catch(() => {
        this.#cached = null;
      });
    }
    return this.#cached;
  }

  async #compute(now: number): Promise<InstanceTrends> {
    const week: ListeningProfile[] = [];
    const month: ListeningProfile[] = [];
    for (const userId of await this.userIds()) {
      const plays = await this.catalog.listPlays({ userId, from: now - 30 * DAY_MS, to: now });
      if (plays.length === 0) continue;
      const genres = await this.#genres(plays.flatMap((p) => p.artistIds.slice(0, 1)));
      const options = {
        timeZone: 'UTC',
        now,
        topLimit: 10,
        genresOf: (a: { id: string | null }) => (a.id === null ? undefined : genres.get(a.id)),
      };
      month.push(
        buildListeningProfile(plays, { ...options, period: { from: now - 30 * DAY_MS, to: now } })
          .profile,
      );
      const recent = plays.filter((p) => p.endedAt >= now - 7 * DAY_MS);
      if (recent.length > 0) {
        week.push(
          buildListeningProfile(recent, { ...options, period: { from: now - 7 * DAY_MS, to: now } })
            .profile,
        );
      }
    }
    return {
      week: aggregateTrends(week, { k: this.k, limit: 10 }),
      month: aggregateTrends(month, { k: this.k, limit: 10 }),
      computedAt: now,
    };
  }

  async #genres(artistIds: readonly string[]): Promise<Map<string, string[]>> {
    const ids = [...new Set(artistIds)];
    const map = new Map<string, string[]>();
    if (ids.length === 0) return map;
    const rows = await sql<{ id: string; genres: unknown }>`
      select id, genres from catalog_artists where id in (${sql.join(ids)})`.execute(this.db);
    for (const r of rows.rows) {
      const list = typeof r.genres === 'string' ? (JSON.parse(r.genres) as unknown) : r.genres;
      if (Array.isArray(list)) map.set(r.id, list.map(String));
    }
    return map;
  }
}
