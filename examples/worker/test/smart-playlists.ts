import type { MockServer } from '@spoti/mock';
import { nextDailyAt } from '@spoti/example-server/src/scheduler/slots.js';
import { PlaylistsService } from '@spoti/example-server/src/services/playlists-service.js';
import type { Database } from '@spoti/example-server/src/storage/database.js';
import { createPlaylistRepository } from '@spoti/example-server/src/storage/playlists.js';
import type { SeededUser } from '@spoti/example-server/test/job-helpers.js';
import {
  BUILTIN_RULES,
  type LibraryInput,
  type Rule,
  createLibraryIndex,
  evaluateRules,
  loadLibrary,
  parseQuery,
  playlistMarker,
} from '@spoti/playlists';

/**
 * The custom rule every listener keeps: tracks played more than once in the last week, most
 * played first, then the latest played, at most 30. It moves with every poll and with "now".
 */
export const CUSTOM_QUERY = 'plays@1w:>1 plays- played- limit:30';

/** The catalog store `loadLibrary` reads. */
type CatalogStore = Parameters<typeof loadLibrary>[0];

/** A listener's smart playlists: each rule by slug. */
export type Rules = Readonly<Record<string, Rule>>;

/** What a set of rules selected: each slug's tracks and whether their order is the rule's. */
type Selection = Readonly<Record<string, { trackIds: readonly string[]; ordered: boolean }>>;

/**
 * Gives every listener the six built-in smart playlists and one custom rule, each with
 * auto-refresh on, the way the server's `/playlists` pages do (the rule's row in the rule →
 * playlist mapping, then the switch). Returns each listener's rules by slug as `@spoti/playlists`
 * defines them (the built-ins and the parsed custom query), not as the server reads them back.
 */
export async function keepSmartPlaylists(
  database: Database,
  users: readonly SeededUser[],
  now: number,
): Promise<Map<string, Rules>> {
  const service = new PlaylistsService(database, { now: () => now });
  const out = new Map<string, Rules>();
  for (const [index, user] of users.entries()) {
    const key = (index + 1).toString(16).padStart(16, '0');
    const { slug } = await service.createCustom(user.id, {
      key,
      name: 'On repeat this week',
      query: CUSTOM_QUERY,
      now,
    });
    for (const playlist of await service.list(user.id)) {
      await service.ensureStored(user.id, playlist, now);
      await service.repo.setAutoRefresh(user.id, playlist.slug, true, now);
    }
    out.set(user.id, { ...BUILTIN_RULES, [slug]: parseQuery(CUSTOM_QUERY) });
  }
  return out;
}

/** Every time of the daily series at `hour:minute` local after `from` and by `to`. */
function daily(zone: string, hour: number, minute: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (
    let s = nextDailyAt(from, zone, hour, minute);
    s <= to;
    s = nextDailyAt(s, zone, hour, minute)
  )
    out.push(s);
  return out;
}

/**
 * The catalog store with its entities remembered, so that reading many listeners' libraries
 * costs one query per track, album and artist in all rather than per library.
 */
function rememberingEntities(store: CatalogStore): CatalogStore {
  const memos = new Map<PropertyKey, (id: string) => Promise<unknown>>();
  for (const name of ['getTrack', 'getAlbum', 'getArtist'] as const) {
    const seen = new Map<string, Promise<unknown>>();
    memos.set(name, (id) => {
      let found = seen.get(id);
      if (found === undefined) {
        found = store[name](id);
        seen.set(id, found);
      }
      return found;
    });
  }
  return new Proxy(store, {
    get: (target, key) => {
      const value = memos.get(key) ?? Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The library as it was stored when only the plays that ended by `at` had been polled. */
function playedBy(library: LibraryInput, at: number): LibraryInput {
  const plays = (library.plays ?? []).filter((p) => p.endedAt <= at);
  const known = new Set<string>((library.likes ?? []).map((l) => l.trackId));
  for (const play of plays) if (play.trackId !== null) known.add(play.trackId);
  return { ...library, plays, tracks: library.tracks.filter((t) => known.has(t.id)) };
}

function sameTracks(actual: readonly string[], expected: readonly string[], ordered: boolean) {
  const [a, b] = ordered ? [actual, expected] : [[...actual].sort(), [...expected].sort()];
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Options of {@link SmartPlaylistCheck}. */
export interface SmartPlaylistCheckOptions {
  readonly database: Database;
  readonly users: readonly SeededUser[];
  /** Each listener's rules by slug ({@link keepSmartPlaylists}). */
  readonly rules: ReadonlyMap<string, Rules>;
  /** Each listener's time zone, by server user id. */
  readonly zones: ReadonlyMap<string, string>;
  /** Simulated time at the start; step `n` ends at `t0 + n * stepMs`. */
  readonly t0: number;
  readonly stepMs: number;
  readonly steps: number;
}

/**
 * Checks that each smart playlist on the mock equals its rule's evaluation at its last refresh.
 *
 * When that refresh runs follows from the schedule, not from what the workers recorded: daily at
 * 10:00 local and after each library sync (07:07 local), so a refresh that was skipped leaves a
 * playlist that no longer matches (when the library changed since the refresh before: see
 * {@link SmartPlaylistCheck.noticeableSkips}). Simulated time stands still while a step's jobs
 * run, so a refresh runs at the step's end and reads the plays as stored then, with or without
 * those of the listener's poll of the same step (the two run in either order): the playlist must
 * equal the rule's evaluation over one of those two libraries, in the rule's order when it has
 * one. The evaluation is `@spoti/playlists`'s over the library read from the catalog, right after
 * the step drained.
 */
export class SmartPlaylistCheck {
  /** The listeners whose last or next-to-last refresh runs in each step, with which it is. */
  readonly #due = new Map<number, { user: SeededUser; last: boolean }[]>();
  /** What each listener's rules select at their last refresh: with and without the step's plays. */
  readonly #expected = new Map<string, readonly [Selection, Selection]>();
  /** The same at the refresh before the last. */
  readonly #previous = new Map<string, readonly [Selection, Selection]>();
  readonly #store: CatalogStore;

  constructor(private readonly options: SmartPlaylistCheckOptions) {
    this.#store = rememberingEntities(options.database.catalog);
    const { t0, stepMs, steps } = options;
    const end = t0 + steps * stepMs;
    for (const user of options.users) {
      const zone = options.zones.get(user.id) ?? 'UTC';
      const times = [...daily(zone, 10, 0, t0, end), ...daily(zone, 7, 7, t0, end)];
      const [last, previous] = times.sort((a, b) => b - a);
      if (last === undefined) throw new Error(`no smart-playlist refresh of ${user.mockId} is due`);
      for (const [at, isLast] of [
        [last, true],
        [previous, false],
      ] as const) {
        if (at === undefined) continue;
        const step = Math.ceil((at - t0) / stepMs);
        this.#due.set(step, [...(this.#due.get(step) ?? []), { user, last: isLast }]);
      }
    }
  }

  /** Call once step `step` drained: evaluates the rules of the listeners refreshed in it. */
  async afterStep(step: number): Promise<void> {
    const { rules, zones, t0, stepMs } = this.options;
    const now = t0 + step * stepMs;
    for (const { user, last } of this.#due.get(step) ?? []) {
      const own = rules.get(user.id) ?? {};
      const library = await loadLibrary(this.#store, { userId: user.id });
      const timeZone = zones.get(user.id) ?? 'UTC';
      const select = (input: LibraryInput): Selection =>
        evaluateRules(own, createLibraryIndex(input, { now, timeZone }));
      const both = [select(library), select(playedBy(library, now - stepMs))] as const;
      (last ? this.#expected : this.#previous).set(user.id, both);
    }
  }

  /**
   * How many smart playlists would show a skipped last refresh: those whose rule selects
   * otherwise at the last refresh than at the one before. Zero would mean the scenario cannot
   * tell a skipped refresh from a run one.
   */
  noticeableSkips(): number {
    let count = 0;
    for (const [userId, last] of this.#expected) {
      const before = this.#previous.get(userId);
      if (before === undefined) continue;
      for (const slug of Object.keys(this.options.rules.get(userId) ?? {})) {
        const now = last.map((s) => s[slug]);
        const then = before.map((s) => s[slug]);
        const same = now.some((a) =>
          then.some(
            (b) =>
              a !== undefined && b !== undefined && sameTracks(a.trackIds, b.trackIds, a.ordered),
          ),
        );
        if (!same) count++;
      }
    }
    return count;
  }

  /**
   * What differs between the mock and the expectation, one line per smart playlist (none when
   * every one agrees): exactly one playlist of the listener carries the rule's marker, the
   * database maps the rule to it, and its tracks are the rule's evaluation.
   */
  async differences(mock: MockServer): Promise<string[]> {
    const repo = createPlaylistRepository(this.options.database.db);
    const out: string[] = [];
    for (const user of this.options.users) {
      const owner = mock.world.users.get(user.mockId);
      const playlists = (owner?.playlistIds ?? []).flatMap((id) => {
        const playlist = mock.world.playlists.get(id);
        return playlist === undefined ? [] : [playlist];
      });
      const mapped = new Map((await repo.list(user.id)).map((s) => [s.slug, s.spotifyPlaylistId]));
      const expected = this.#expected.get(user.id);
      for (const slug of Object.keys(this.options.rules.get(user.id) ?? {})) {
        const what = `${user.mockId} ${slug}`;
        const marked = playlists.filter((p) => p.description.includes(playlistMarker(slug)));
        const playlist = marked[0];
        if (playlist === undefined || marked.length > 1) {
          out.push(`${what}: ${marked.length} playlists on the mock carry its marker`);
          continue;
        }
        if (mapped.get(slug) !== playlist.id) out.push(`${what}: the database maps another id`);
        const actual = playlist.items.map((item) => item.trackId);
        const choices = (expected ?? []).map((selection) => selection[slug]);
        if (choices.some((c) => c !== undefined && sameTracks(actual, c.trackIds, c.ordered)))
          continue;
        const rule = choices[0]?.trackIds ?? [];
        const missing = rule.filter((id) => !actual.includes(id)).length;
        const extra = actual.filter((id) => !rule.includes(id)).length;
        out.push(
          `${what}: ${actual.length} tracks on the mock, the rule selects ${rule.length} ` +
            `(${missing} missing, ${extra} extra${missing + extra === 0 ? ', order differs' : ''})`,
        );
      }
    }
    return out;
  }
}
