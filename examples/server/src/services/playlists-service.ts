import type { Track } from '@spoti/catalog';
import {
  BUILTIN_RULES,
  type BuiltinSlug,
  type LibraryInput,
  type LibraryIndex,
  type Rule,
  type TrackExplanation,
  createLibraryIndex,
  evaluateRule,
  explainTrack,
  parseQuery,
} from '@spoti/playlists';
import { sql } from 'kysely';
import { ServerError } from '../server-error.js';
import type { Database } from '../storage/database.js';
import {
  type PlaylistRepository,
  type StoredPlaylist,
  createPlaylistRepository,
} from '../storage/playlists.js';
import { LibraryReader } from './library-reader.js';
import { checkQuery } from './query-check.js';

/** How many tracks a preview lists. */
export const PREVIEW_TRACKS = 50;
/** How many custom rules one user may keep. */
export const MAX_CUSTOM_RULES = 50;
/** The longest rule name. */
export const MAX_NAME_LENGTH = 100;

const BUILTIN_SLUGS = Object.keys(BUILTIN_RULES) as BuiltinSlug[];
const CUSTOM_SLUG = /^c-[0-9a-f]{16}$/;

/** A smart playlist as the pages and the refresh job see it: its rule and what is stored. */
export interface SmartPlaylist {
  /** `most-played` for a built-in, `c-` and 16 hex digits for a custom rule. */
  readonly slug: string;
  readonly kind: 'builtin' | 'custom';
  readonly name: string;
  readonly description: string;
  /** The text query of a custom rule. */
  readonly query: string | null;
  readonly rule: Rule;
  /** The row, once the user saved, refreshed or created the rule. */
  readonly stored: StoredPlaylist | null;
}

/** One listener's library, indexed for rules, with names for display. */
export interface LoadedLibrary {
  readonly index: LibraryIndex;
  readonly tracks: ReadonlyMap<string, Track>;
  readonly artistNames: ReadonlyMap<string, string>;
}

/** A track as a preview lists it. */
export interface TrackRow {
  readonly id: string;
  readonly name: string;
  readonly artists: string;
  readonly durationMs: number;
}

/** What a rule selects now: the count, total length and the first {@link PREVIEW_TRACKS}. */
export interface Preview {
  readonly count: number;
  /** Tracks that met the condition before dedupe and limit. */
  readonly matched: number;
  readonly durationMs: number;
  readonly ordered: boolean;
  readonly trackIds: readonly string[];
  readonly tracks: readonly TrackRow[];
}

/** How many users' libraries a service keeps in memory between page views. */
const CACHED_LIBRARIES = 4;

/**
 * A cheap summary of what a library read would return for a user: their likes (a hash, so an
 * unlike and a like are told apart), their play count and newest play, and the catalog's track
 * count (tracks of imported plays are resolved later). Reads the catalog's tables directly, as
 * the history page does.
 */
async function fingerprint(database: Database, userId: string): Promise<string> {
  const result = await sql<{ f: string }>`select concat_ws('|',
      (select coalesce(md5(string_agg(track_id || ':' || liked_at::text, ',' order by track_id)), '')
         from catalog_likes where user_id = ${userId}),
      (select count(*)::text || ':' || coalesce(max(seq), 0)::text from catalog_plays where user_id = ${userId}),
      (select count(*)::text from catalog_tracks)) as f`.execute(database.db);
  return result.rows[0]?.f ?? '';
}

/** True for the slug of a built-in rule. */
export function isBuiltinSlug(slug: string): slug is BuiltinSlug {
  return (BUILTIN_SLUGS as string[]).includes(slug);
}

/** The slug of a custom rule made from a form's one-time key (so a resent form makes no second rule). */
export function customSlug(key: string): string {
  if (!/^[0-9a-f]{16}$/.test(key)) {
    throw new ServerError('INVALID_INPUT', 'key must be the 16 hex digits the form carries');
  }
  return `c-${key}`;
}

function toSmart(slug: string, stored: StoredPlaylist | null): SmartPlaylist | null {
  if (isBuiltinSlug(slug)) {
    const rule = BUILTIN_RULES[slug];
    return {
      slug,
      kind: 'builtin',
      name: rule.name ?? slug,
      description: rule.description ?? '',
      query: null,
      rule,
      stored,
    };
  }
  if (stored === null || stored.kind !== 'custom' || stored.query === null) return null;
  return {
    slug,
    kind: 'custom',
    name: stored.name,
    description: `Smart playlist: ${stored.query}`,
    query: stored.query,
    rule: parseQuery(stored.query),
    stored,
  };
}

/**
 * The smart playlists of the server: the six built-ins and each user's rules written in the text
 * query language, evaluated over the user's library as the database holds it (no Spotify call).
 * Saving to Spotify is the refresh job's work (`jobs/playlists.ts`).
 */
export class PlaylistsService {
  readonly repo: PlaylistRepository;
  readonly #reader: LibraryReader;
  /** Libraries read lately, by user, with the fingerprint they were read at (most recent last). */
  readonly #libraries = new Map<string, { fingerprint: string; input: LibraryInput }>();

  constructor(
    private readonly database: Database,
    clock: { now(): number },
  ) {
    this.repo = createPlaylistRepository(database.db);
    this.#reader = new LibraryReader(database.catalog, clock);
  }

  /** The built-ins (in their fixed order), then the user's rules, oldest first. */
  async list(userId: string): Promise<SmartPlaylist[]> {
    const stored = await this.repo.list(userId);
    const bySlug = new Map(stored.map((s) => [s.slug, s]));
    const out: SmartPlaylist[] = [];
    for (const slug of BUILTIN_SLUGS) {
      const smart = toSmart(slug, bySlug.get(slug) ?? null);
      if (smart !== null) out.push(smart);
    }
    for (const s of stored) {
      if (s.kind !== 'custom') continue;
      const smart = toSmart(s.slug, s);
      if (smart !== null) out.push(smart);
    }
    return out;
  }

  /** One smart playlist, or null when the user has none by that slug. */
  async get(userId: string, slug: string): Promise<SmartPlaylist | null> {
    if (!isBuiltinSlug(slug) && !CUSTOM_SLUG.test(slug)) return null;
    return toSmart(slug, await this.repo.get(userId, slug));
  }

  /** Every rule of the user by slug, for rules that name others (`inRule`). */
  rulesBySlug(all: readonly SmartPlaylist[]): Record<string, Rule> {
    return Object.fromEntries(all.map((p) => [p.slug, p.rule]));
  }

  /** Makes sure the rule has its row (built-ins get one the first time they are touched). */
  async ensureStored(userId: string, playlist: SmartPlaylist, now: number): Promise<void> {
    if (playlist.stored !== null) return;
    await this.repo.insert({
      userId,
      slug: playlist.slug,
      kind: playlist.kind,
      name: playlist.name,
      query: playlist.query,
      now,
    });
  }

  /**
   * Keeps a custom rule. The slug comes from the form's one-time key, so the same form sent
   * twice keeps one rule. A bad query is an `INVALID_INPUT` error naming the term and position.
   */
  async createCustom(
    userId: string,
    input: { key: string; name: string; query: string; now: number },
  ): Promise<{ slug: string; created: boolean }> {
    const slug = customSlug(input.key);
    const check = checkQuery(input.query);
    if (!check.ok) throw new ServerError('INVALID_INPUT', `query: ${check.message}`);
    if ((await this.repo.get(userId, slug)) !== null) return { slug, created: false };
    if ((await this.repo.countCustom(userId)) >= MAX_CUSTOM_RULES) {
      throw new ServerError(
        'INVALID_INPUT',
        `You already keep ${MAX_CUSTOM_RULES} rules: delete one before adding another`,
      );
    }
    const name = input.name.trim() || input.query.trim().slice(0, MAX_NAME_LENGTH);
    const created = await this.repo.insert({
      userId,
      slug,
      kind: 'custom',
      name,
      query: input.query.trim(),
      now: input.now,
    });
    return { slug, created };
  }

  /**
   * Reads the user's library and indexes it at `now` in their time zone. While its fingerprint
   * (likes, plays, catalog tracks) is unchanged, the library read last is used again; otherwise
   * the likes and plays are read afresh, with the catalog entities this service already read.
   */
  async loadLibrary(user: { id: string; timeZone: string }, now: number): Promise<LoadedLibrary> {
    const print = await fingerprint(this.database, user.id);
    const cached = this.#libraries.get(user.id);
    const library =
      cached !== undefined && cached.fingerprint === print
        ? cached.input
        : await this.#reader.read(user.id);
    this.#libraries.delete(user.id);
    this.#libraries.set(user.id, { fingerprint: print, input: library });
    for (const key of this.#libraries.keys()) {
      if (this.#libraries.size <= CACHED_LIBRARIES) break;
      this.#libraries.delete(key);
    }
    const index = createLibraryIndex(library, { now, timeZone: user.timeZone });
    return {
      index,
      tracks: new Map(library.tracks.map((t) => [t.id, t])),
      artistNames: new Map((library.artists ?? []).map((a) => [a.id, a.name])),
    };
  }

  /** A track's display row. */
  row(library: LoadedLibrary, trackId: string): TrackRow {
    const track = library.tracks.get(trackId);
    return {
      id: trackId,
      name: track?.name ?? trackId,
      artists: (track?.artistIds ?? []).map((id) => library.artistNames.get(id) ?? id).join(', '),
      durationMs: track?.durationMs ?? 0,
    };
  }

  /** What the rule selects now. */
  preview(library: LoadedLibrary, rule: Rule, rules: Record<string, Rule>): Preview {
    const result = evaluateRule(rule, library.index, { rules });
    return {
      count: result.trackIds.length,
      matched: result.matched,
      durationMs: result.durationMs,
      ordered: result.ordered,
      trackIds: result.trackIds,
      tracks: result.trackIds.slice(0, PREVIEW_TRACKS).map((id) => this.row(library, id)),
    };
  }

  /** Why a track is in or out of the rule's result. */
  explain(
    library: LoadedLibrary,
    rule: Rule,
    rules: Record<string, Rule>,
    trackId: string,
  ): TrackExplanation {
    return explainTrack(rule, library.index, trackId, { rules });
  }

  /**
   * Tracks of the library a "why" question may name: a track id, a `spotify:track:` URI or
   * part of a title (case-insensitive), at most `limit`, in title order.
   */
  findTracks(library: LoadedLibrary, text: string, limit = 10): TrackRow[] {
    const wanted = text.trim();
    const id = wanted.replace(/^spotify:track:/, '');
    if (library.tracks.has(id)) return [this.row(library, id)];
    const needle = wanted.toLowerCase();
    if (needle === '') return [];
    return [...library.tracks.values()]
      .filter((t) => t.name.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((t) => this.row(library, t.id));
  }
}
