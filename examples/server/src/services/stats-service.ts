import {
  type ListeningStats,
  type PlayIndex,
  type StatsComparison,
  compareStats,
  computeStats,
  createPlayIndex,
} from '@spoti/analytics';
import type { CatalogStore } from '@spoti/catalog';
import { type Kysely, sql } from 'kysely';
import { createFaceCacheStore } from '../storage/faces-cache.js';
import type { ServerDatabase } from '../storage/schema.js';
import { type PeriodChoice, periodKey, periodSpec, previousSpec } from './period.js';

/** What the dashboard shows for one period. */
export interface DashboardStats {
  readonly stats: ListeningStats;
  readonly comparison: StatsComparison | null;
  /** Plays of the whole history (the index size). */
  readonly historyPlays: number;
}

interface UserEntry {
  /** The user's cache generation when the plays were read (see `forPeriod`). */
  generation: number;
  index: PlayIndex;
  genres: Map<string, readonly string[]>;
  years: Map<string, number>;
  plays: number;
  periods: Map<string, DashboardStats>;
}

/**
 * Plays per page when the statistics read a listener's history: each page arrives as one JSON
 * text and is turned into plays at once, so smaller pages leave less behind between collections.
 */
const STATS_PAGE_SIZE = 2_000;

/**
 * Listening statistics of a user through `@spoti/analytics`, over the catalog's plays (polled
 * and imported). The play index of a user is built once and kept with the statistics of each
 * period and time zone asked for; `invalidate(userId)` drops them when new plays arrive in this
 * process. Plays stored by another process (a separate worker) move the user's cache generation
 * in the database, which every view reads, so those show at the next view too.
 */
export class StatsService {
  readonly #users = new Map<string, Promise<UserEntry>>();
  readonly #readGeneration: (userId: string) => Promise<number>;
  /** Generation reads under way, per user: views that arrive meanwhile wait for the same read. */
  readonly #generationReads = new Map<string, Promise<number>>();

  constructor(
    private readonly catalog: CatalogStore,
    private readonly db: Kysely<ServerDatabase>,
    private readonly maxUsers = 50,
    /** Genres from services beyond Spotify (enrichment), for artists the catalog has none for. */
    private readonly moreGenres?: {
      genresOf(name: string): readonly string[] | undefined;
      requestGenres(artists: readonly { id: string; name: string }[], onDone: () => void): void;
    },
  ) {
    this.#readGeneration = createFaceCacheStore(db as unknown as Kysely<unknown>).generation;
  }

  /** Forgets everything computed for the user (new plays, or the account was deleted). */
  invalidate(userId: string): void {
    this.#users.delete(userId);
  }

  /**
   * Computes a period's statistics ahead of the next view (after an import, whose listener is
   * about to open the dashboard with the period its summary links to), so that view is a cache
   * hit. Failures are left for the view to report.
   */
  async warm(userId: string, choice: PeriodChoice, timeZone: string, now: number): Promise<void> {
    await this.forPeriod(userId, choice, timeZone, now).catch(() => undefined);
  }

  /** The statistics of a period, computed once per user, period, time zone and "now". */
  async forPeriod(
    userId: string,
    choice: PeriodChoice,
    timeZone: string,
    now: number,
  ): Promise<DashboardStats> {
    const entry = await this.#entry(userId, await this.#generation(userId));
    // Relative periods move with time: the key holds the hour so a long-lived cache stays true.
    const key = `${periodKey(choice)}|${timeZone}|${Math.floor(now / 3_600_000)}`;
    const cached = entry.periods.get(key);
    if (cached !== undefined) return cached;
    const options = {
      timeZone,
      now,
      genresOf: (a: { id: string | null }) => (a.id === null ? undefined : entry.genres.get(a.id)),
      releaseYearOf: (t: { id: string | null }) =>
        t.id === null ? undefined : entry.years.get(t.id),
    };
    const stats = computeStats(entry.index, { ...options, period: periodSpec(choice) });
    const previous = previousSpec(choice, now);
    const comparison =
      previous === null || entry.plays === 0
        ? null
        : compareStats(computeStats(entry.index, { ...options, period: previous }), stats);
    const result = { stats, comparison, historyPlays: entry.plays };
    if (entry.periods.size > 20) entry.periods.clear();
    entry.periods.set(key, result);
    return result;
  }

  /**
   * The user's cache generation. One read per user at a time: views that arrive while it runs
   * share it (it started less than one database round trip before them), so many views of one
   * listener at once cost one read, and a generation moved before a view arrived is still seen by
   * that view or the next.
   */
  #generation(userId: string): Promise<number> {
    let read = this.#generationReads.get(userId);
    if (read === undefined) {
      read = this.#readGeneration(userId).finally(() => this.#generationReads.delete(userId));
      this.#generationReads.set(userId, read);
    }
    return read;
  }

  /** The user's entry, read again when it was read before the user's `generation`. */
  async #entry(userId: string, generation: number): Promise<UserEntry> {
    for (;;) {
      const existing = this.#users.get(userId);
      if (existing === undefined) break;
      const entry = await existing.catch(() => undefined);
      if (this.#users.get(userId) !== existing) continue; // replaced meanwhile: look again
      this.#users.delete(userId);
      if (entry !== undefined && entry.generation >= generation) {
        // Most recently used last, so the oldest entry is dropped first.
        this.#users.set(userId, existing);
        return entry;
      }
      break;
    }
    const loading = this.#load(userId, generation);
    loading.catch(() => this.#users.delete(userId));
    this.#users.set(userId, loading);
    while (this.#users.size > this.maxUsers) {
      const oldest = this.#users.keys().next().value;
      if (oldest === undefined) break;
      this.#users.delete(oldest);
    }
    return loading;
  }

  async #load(userId: string, generation: number): Promise<UserEntry> {
    // Page by page, only the fields statistics read: a long history is never held as whole
    // play objects, only in the index's columns. The artists and tracks to look up are collected
    // on the way (instead of a second and third pass over the listener's plays in SQL).
    const index = createPlayIndex({ dedupe: false });
    const artistIds = new Set<string>();
    const trackIds = new Set<string>();
    let plays = 0;
    for await (const page of this.catalog.iteratePlays({
      userId,
      fields: 'stats',
      pageSize: STATS_PAGE_SIZE,
    })) {
      index.addAll(page);
      plays += page.length;
      for (const p of page) {
        const artist = p.artistIds[0];
        if (artist !== undefined) artistIds.add(artist);
        if (p.trackId !== null) trackIds.add(p.trackId);
      }
    }
    const genres = await this.#genres([...artistIds], userId);
    const years = await this.#releaseYears([...trackIds]);
    return { generation, index, genres, years, plays, periods: new Map() };
  }

  /** Genres per artist: the catalog's, else the enrichment's (asked for the missing ones). */
  async #genres(artistIds: string[], userId: string): Promise<Map<string, readonly string[]>> {
    const genres = new Map<string, readonly string[]>();
    const artistRows = await sql<{ id: string; name: string; genres: unknown }>`
      select a.id, a.name, a.genres from catalog_artists a
      where a.id = any(${artistIds}::text[])`.execute(this.db);
    for (const r of artistRows.rows) {
      const list = typeof r.genres === 'string' ? (JSON.parse(r.genres) as unknown) : r.genres;
      if (Array.isArray(list)) genres.set(r.id, list.map(String));
    }
    if (this.moreGenres !== undefined) {
      const missing: { id: string; name: string }[] = [];
      for (const r of artistRows.rows) {
        if ((genres.get(r.id)?.length ?? 0) > 0) continue;
        const found = this.moreGenres.genresOf(r.name);
        if (found === undefined) missing.push({ id: r.id, name: r.name });
        else genres.set(r.id, found);
      }
      // Found genres show at the next view: the statistics are recomputed when they arrive.
      this.moreGenres.requestGenres(missing, () => this.invalidate(userId));
    }
    return genres;
  }

  /** Release year per track, from its album's release date. */
  async #releaseYears(trackIds: string[]): Promise<Map<string, number>> {
    const years = new Map<string, number>();
    const trackRows = await sql<{ id: string; release_date: string }>`
      select t.id, al.release_date from catalog_tracks t join catalog_albums al on al.id = t.album_id
      where t.id = any(${trackIds}::text[])`.execute(this.db);
    for (const r of trackRows.rows) {
      const year = Number(r.release_date.slice(0, 4));
      if (Number.isInteger(year)) years.set(r.id, year);
    }
    return years;
  }
}
