import { z } from 'zod';
import { type Catalog, generateCatalog } from '../world/catalog.js';
import { buildWorld } from '../world/create-world.js';
import { resolveWorldOptions } from '../world/world-options.js';
import { dailyPlays, PERSONA_NAMES, PERSONAS } from '../world/personas.js';
import { hashText, mixSeed, Rng } from '../world/prng.js';
import type { PersonaName, World, WorldPlay, WorldTrack } from '../world/types.js';
import {
  endsongRow,
  extendedRow,
  ipBook,
  isoSeconds,
  type MediaFields,
  nonMusicMedia,
  type StreamFacts,
  trackMediaBook,
} from './export-row-fields.js';
import { parseOptions } from '../server/parse-options.js';

const DAY_MS = 86_400_000;
const MAX_HISTORY_DAYS = 365 * 150;

/**
 * Default end of an export's history (its "now"): 2026-11-01T12:00:00Z.
 *
 * @example
 * ```ts
 * await writeDataExport({ seed: 1, persona: 'heavy-pop', plays: 1000, out, endTimeMs: DEFAULT_EXPORT_END_MS });
 * ```
 */
export const DEFAULT_EXPORT_END_MS = Date.UTC(2026, 10, 1, 12);

/**
 * One row of `Streaming_History_Audio_*.json` (the extended streaming history), every field
 * Spotify documents for the export. `ts` is the UTC second the stream ended (for a re-synced offline
 * play: when it was synced). `offline_timestamp` is in Unix **milliseconds**: for an offline play
 * the instant the stream started on the device (the play's real time, the same in a re-synced
 * copy), 0 for online plays. Music rows have the `master_metadata_*` fields and
 * `spotify_track_uri`; podcast rows the `episode_*` ones; audiobook rows the `audiobook_*` ones; the
 * others are `null`.
 */
export interface ExtendedStreamingRow {
  ts: string;
  platform: string;
  ms_played: number;
  conn_country: string;
  ip_addr: string;
  master_metadata_track_name: string | null;
  master_metadata_album_artist_name: string | null;
  master_metadata_album_album_name: string | null;
  spotify_track_uri: string | null;
  episode_name: string | null;
  episode_show_name: string | null;
  spotify_episode_uri: string | null;
  audiobook_title: string | null;
  audiobook_uri: string | null;
  audiobook_chapter_uri: string | null;
  audiobook_chapter_title: string | null;
  reason_start: string;
  reason_end: string;
  shuffle: boolean;
  skipped: boolean;
  offline: boolean;
  offline_timestamp: number;
  incognito_mode: boolean;
}

/**
 * One row of the older `endsong_<n>.json` files: every field of the extended history plus
 * `username`, `ip_addr_decrypted` and `user_agent_decrypted`, with `skipped` possibly `null` (plays
 * before 2020 that were not skipped) and a descriptive `platform` string. The audiobook fields are
 * always `null` (no audiobooks in those exports).
 */
export interface EndsongRow {
  ts: string;
  username: string;
  platform: string;
  ms_played: number;
  conn_country: string;
  ip_addr: string;
  ip_addr_decrypted: string;
  user_agent_decrypted: string;
  master_metadata_track_name: string | null;
  master_metadata_album_artist_name: string | null;
  master_metadata_album_album_name: string | null;
  spotify_track_uri: string | null;
  episode_name: string | null;
  episode_show_name: string | null;
  spotify_episode_uri: string | null;
  audiobook_title: null;
  audiobook_uri: null;
  audiobook_chapter_uri: null;
  audiobook_chapter_title: null;
  reason_start: string;
  reason_end: string;
  shuffle: boolean;
  skipped: boolean | null;
  offline: boolean;
  offline_timestamp: number;
  incognito_mode: boolean;
}

/** What a row holds: a music play, a podcast episode or an audiobook chapter. */
export type ExportRowKind = 'music' | 'episode' | 'audiobook';

/**
 * A row of the streaming history, with what it is and whether it repeats an earlier row.
 *
 * @example
 * ```ts
 * const rows = [...streamExportRows({ seed: 1, persona: 'jazz-commuter', plays: 5000 })];
 * const uniquePlays = rows.filter((r) => r.kind === 'music' && !r.duplicate).length; // 5000
 * ```
 */
export interface ExportRow<R = ExtendedStreamingRow | EndsongRow> {
  readonly kind: ExportRowKind;
  /**
   * True when this row repeats a play already written (exports hold duplicates): either a
   * verbatim repeat of the row before it, or a re-synced offline play (see `resynced`).
   */
  readonly duplicate: boolean;
  /**
   * True for a re-synced offline play: the same row as an earlier offline play (same
   * `offline_timestamp`, track and `ms_played`) written again later with the `ts` of the sync.
   */
  readonly resynced: boolean;
  /** The row's `ts` in ms: when the stream ended (for a re-synced copy: when it was synced). */
  readonly endedAtMs: number;
  readonly row: R;
  /** For music rows: the play of the world's ground truth it was written from. */
  readonly play?: WorldPlay;
}

/** Options of {@link streamExportRows} (a subset of the data-export options, same meaning). */
export interface ExportRowsOptions {
  /** Everything is deterministic from this seed. */
  readonly seed: number;
  /** The listener persona whose history is exported. */
  readonly persona: PersonaName;
  /** Music plays to include (the most recent ones before `endTimeMs`), 0..5,000,000. */
  readonly plays: number;
  /** `extended` (default) rows or the older `endsong` rows. */
  readonly naming?: 'extended' | 'endsong';
  /** When the history ends, ms. Default {@link DEFAULT_EXPORT_END_MS}. */
  readonly endTimeMs?: number;
}

const rowsOptionsSchema = z.object({
  seed: z.number().int().safe(),
  persona: z.enum(PERSONA_NAMES as [PersonaName, ...PersonaName[]]),
  plays: z.number().int().min(0).max(5_000_000),
  naming: z.enum(['extended', 'endsong']).optional(),
  endTimeMs: z.number().int().min(0).optional(),
});

/** Validates export options; throws `MockError('INVALID_OPTIONS')` naming what is wrong. */
export function checkExportOptions<T>(schema: z.ZodType<T>, options: unknown, what: string): T {
  return parseOptions(schema, options, what);
}

/** Spotify opened to the public on 2008-10-07: no history starts before. */
const SPOTIFY_LAUNCH_MS = Date.UTC(2008, 9, 7);
/** The longest plausible history of an export: 14 years (from late 2012 for the default end). */
const PLAUSIBLE_SPAN_DAYS = 14 * 365;
/** Share of the span the plays should fill when the listening rate is raised. */
const FILL = 0.85;
const MAX_ACTIVITY = 10;
const CALIBRATION_DAYS = 120;

/** Plays per day the world's user actually makes over the last `days` days before `endTimeMs`. */
function measuredRate(world: World, userId: string, endTimeMs: number, days: number): number {
  let n = 0;
  for (const _ of world.streamPlays(userId, endTimeMs - days * DAY_MS, endTimeMs)) n++;
  return n / days;
}

/**
 * The world an export is drawn from: one user of the persona with a history long enough for
 * `plays` plays. The history stays within a plausible span (at most 14 years, never before
 * Spotify's launch): when the persona's usual rate cannot fill `plays` in that span, the world's
 * `activity` is raised (measured on the generated history, not guessed). Only when even ten
 * times the usual sessions cannot fit them (millions of plays) does the history reach further back.
 */
export function exportWorld(
  seed: number,
  persona: PersonaName,
  plays: number,
  endTimeMs: number,
): { world: World; userId: string; activity: number } {
  const perDay = dailyPlays(PERSONAS[persona]);
  const spanDays = Math.max(
    60,
    Math.min(PLAUSIBLE_SPAN_DAYS, Math.floor((endTimeMs - SPOTIFY_LAUNCH_MS) / DAY_MS)),
  );
  const base = resolveWorldOptions({
    seed,
    size: 'small',
    users: 1,
    personas: [persona],
    startTimeMs: endTimeMs,
  });
  let catalog: Catalog | undefined;
  const build = (historyDays: number, activity: number) => {
    catalog ??= generateCatalog(base.seed, base.artists, base.startTimeMs);
    const world = buildWorld(
      { ...base, historyDays: Math.min(MAX_HISTORY_DAYS, Math.ceil(historyDays)), activity },
      catalog,
    );
    return { world, userId: world.users.keys().next().value as string, activity };
  };
  // Most exports: the usual rate, with a margin for slow weeks (capped at the plausible span).
  const usual = Math.ceil((plays / perDay) * 1.5) + 30;
  if (usual <= spanDays || plays / (perDay * 0.75) + 30 <= spanDays)
    return build(Math.min(usual, spanDays), 1);
  // Heavy listeners: raise the rate until the plays fill about 85 % of the span.
  const target = plays / (spanDays * FILL);
  let activity = Math.min(MAX_ACTIVITY, target / perDay);
  let built = build(spanDays, activity);
  for (let attempt = 0; attempt < 4; attempt++) {
    const rate = measuredRate(built.world, built.userId, endTimeMs, CALIBRATION_DAYS);
    if (rate >= target * 0.97) return built;
    if (activity >= MAX_ACTIVITY) {
      // Cannot fit: a longer history at the highest rate (with a margin).
      return build(Math.max(spanDays, (plays / Math.max(1, rate)) * 1.15 + 30), activity);
    }
    activity = Math.min(MAX_ACTIVITY, activity * Math.min(3, (target / Math.max(1, rate)) * 1.05));
    built = build(spanDays, activity);
  }
  return built;
}

/** The instant from which the last `plays` plays of the user up to `endTimeMs` start (or the history's start). */
function firstPlayFrom(world: World, userId: string, plays: number, endTimeMs: number): number {
  let to = endTimeMs;
  let remaining = plays;
  const floor = endTimeMs - MAX_HISTORY_DAYS * DAY_MS - 2 * DAY_MS;
  while (to > floor) {
    const from = to - 30 * DAY_MS + 1;
    const ends: number[] = [];
    for (const play of world.streamPlays(userId, from, to)) ends.push(play.endedAtMs);
    if (ends.length >= remaining) return ends[ends.length - remaining] as number;
    remaining -= ends.length;
    to = from - 1;
  }
  return floor;
}

/** Share of offline plays that a later sync writes a second time. */
const RESYNC_RATE = 0.08;

/** Older exports did not record "not skipped" before this instant (`skipped: null`). */
const OLD_SKIP_UNKNOWN_BEFORE = Date.UTC(2020, 0, 1);

/**
 * Yields the rows of a data export's streaming history in the order they are written, without
 * keeping them: the ground truth of {@link writeDataExport}'s streaming-history files (which add
 * one thing: the last row of each file is repeated at the start of the next, as real exports do).
 * Music rows carry the world's play they were written from; duplicates (`duplicate`) are verbatim
 * repeats and re-synced offline plays (`resynced`). Deterministic from the options.
 *
 * @throws MockError with code `INVALID_OPTIONS` for invalid options (when iteration starts).
 * @example
 * ```ts
 * let episodes = 0;
 * for (const r of streamExportRows({ seed: 1, persona: 'night-owl', plays: 1000 })) if (r.kind === 'episode') episodes++;
 * ```
 */
export function* streamExportRows(options: ExportRowsOptions): Generator<ExportRow> {
  checkExportOptions(rowsOptionsSchema, options, 'export row options');
  const endTimeMs = options.endTimeMs ?? DEFAULT_EXPORT_END_MS;
  const { world, userId } = exportWorld(options.seed, options.persona, options.plays, endTimeMs);
  yield* rowsOf(
    world,
    userId,
    options.plays,
    endTimeMs,
    options.naming ?? 'extended',
    options.seed,
  );
}

/** What every row of one export shares while it is written. */
interface RowContext {
  readonly rng: Rng;
  readonly seed: number;
  readonly extended: boolean;
  readonly country: string;
  readonly build: (facts: StreamFacts) => ExtendedStreamingRow | EndsongRow;
}

/**
 * In a long pause before a session, sometimes a podcast episode or an audiobook chapter: its row,
 * or `undefined` when the pause holds none.
 */
function pauseRow(c: RowContext, play: WorldPlay, previousEnd: number): ExportRow | undefined {
  const { rng, extended } = c;
  const startMs = play.endedAtMs - play.msPlayed;
  const gap = startMs - previousEnd;
  if (!(gap > 20 * 60_000 && previousEnd > 0 && rng.chance(extended ? 0.08 : 0.06))) return;
  const kind = extended && rng.chance(0.12) ? 'audiobook' : 'episode';
  const msPlayed = Math.min(gap - 5 * 60_000, (3 + rng.int(50)) * 60_000 + rng.int(60_000));
  const endedAtMs = startMs - 60_000 - rng.int(120_000);
  const platform = play.offline ? play.platform : rng.chance(0.5) ? play.platform : 'ios';
  const media = nonMusicMedia(kind, rng, c.seed);
  const reasonEnd = rng.chance(0.6) ? 'endplay' : 'trackdone';
  const row = c.build({
    endedAtMs,
    platform,
    country: c.country,
    msPlayed,
    media,
    reasonStart: 'clickrow',
    reasonEnd,
    shuffle: false,
    skipped: false,
    offline: false,
    offlineTimestamp: 0,
    incognito: false,
  });
  return { kind, duplicate: false, resynced: false, endedAtMs, row };
}

/** The facts of a music play's row (older exports record "not skipped" before 2020 as `null`). */
function musicFacts(play: WorldPlay, media: MediaFields, extended: boolean): StreamFacts {
  const skipped =
    !extended && !play.skipped && play.endedAtMs < OLD_SKIP_UNKNOWN_BEFORE ? null : play.skipped;
  return {
    endedAtMs: play.endedAtMs,
    platform: play.platform,
    country: play.connCountry,
    msPlayed: play.msPlayed,
    media,
    reasonStart: play.reasonStart,
    reasonEnd: play.reasonEnd,
    shuffle: play.shuffle,
    skipped,
    offline: play.offline,
    offlineTimestamp: play.offlineTimestampMs,
    incognito: play.incognito,
  };
}

/**
 * Re-synced copies of offline plays: a device that played offline sometimes sends the same play
 * again when it syncs later. The copies wait here, in `ts` order, until the stream reaches them.
 */
class ResyncQueue {
  readonly #rows: ExportRow[] = [];

  constructor(private readonly rng: Rng) {}

  /** Yields (and forgets) the copies synced before `ms`. */
  *before(ms: number): Generator<ExportRow> {
    while (this.#rows.length > 0 && (this.#rows[0] as ExportRow).endedAtMs < ms)
      yield this.#rows.shift() as ExportRow;
  }

  /** Maybe queues a re-synced copy of an offline play's row. */
  consider(play: WorldPlay, row: ExtendedStreamingRow | EndsongRow): void {
    if (!play.offline || !this.rng.chance(RESYNC_RATE)) return;
    const syncedAtMs = play.endedAtMs + 5 * 60_000 + this.rng.int(2 * DAY_MS);
    const copy = { ...row, ts: isoSeconds(syncedAtMs) };
    let at = this.#rows.length;
    while (at > 0 && (this.#rows[at - 1] as ExportRow).endedAtMs > syncedAtMs) at--;
    this.#rows.splice(at, 0, {
      kind: 'music',
      duplicate: true,
      resynced: true,
      endedAtMs: syncedAtMs,
      row: copy,
      play,
    });
  }
}

/** The rows of one user's export; see {@link streamExportRows}. */
export function* rowsOf(
  world: World,
  userId: string,
  plays: number,
  endTimeMs: number,
  naming: 'extended' | 'endsong',
  seed: number,
): Generator<ExportRow> {
  if (plays <= 0) return;
  const user = world.users.get(userId);
  if (user === undefined) return;
  const ipOf = ipBook(seed);
  const mediaOf = trackMediaBook(world);
  const extended = naming === 'extended';
  const c: RowContext = {
    rng: new Rng(mixSeed(seed, 0xe4b0, hashText(userId))),
    seed,
    extended,
    country: user.country,
    build: (f) =>
      extended
        ? extendedRow(f, ipOf(f.endedAtMs, f.platform))
        : endsongRow(f, ipOf(f.endedAtMs, f.platform), userId),
  };
  const resyncs = new ResyncQueue(new Rng(mixSeed(seed, 0x7e5c, hashText(userId))));
  const fromMs = firstPlayFrom(world, userId, plays, endTimeMs);
  let previousEnd = Number.NEGATIVE_INFINITY;
  let written = 0;
  for (const play of world.streamPlays(userId, fromMs, endTimeMs)) {
    if (written >= plays) break;
    written++;
    const pause = pauseRow(c, play, previousEnd);
    if (pause !== undefined) {
      yield* resyncs.before(pause.endedAtMs);
      yield pause;
    }
    const track = world.tracks.get(play.trackId) as WorldTrack;
    const music = c.build(musicFacts(play, mediaOf(track), extended));
    yield* resyncs.before(play.endedAtMs);
    const row: ExportRow = {
      kind: 'music',
      duplicate: false,
      resynced: false,
      endedAtMs: play.endedAtMs,
      row: music,
      play,
    };
    yield row;
    // Exports hold duplicates: now and then a row appears twice.
    if (c.rng.chance(0.003)) yield { ...row, duplicate: true };
    resyncs.consider(play, music);
    previousEnd = play.endedAtMs;
  }
  // Syncs after the export's end have not happened yet.
  yield* resyncs.before(endTimeMs + 1);
}
