import { createWorld } from '../world/create-world.js';
import { dailyPlays, PERSONAS } from '../world/personas.js';
import { hashText, mixSeed, Rng } from '../world/prng.js';
import type { PersonaName, World, WorldPlay, WorldTrack } from '../world/types.js';
import { words } from './export-words.js';

const DAY_MS = 86_400_000;
const MAX_HISTORY_DAYS = 365 * 150;

/** Default end of an export's history: 2026-11-01T12:00:00Z. */
export const DEFAULT_EXPORT_END_MS = Date.UTC(2026, 10, 1, 12);

/** One row of `Streaming_History_Audio_*.json` (the extended streaming history). */
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

/** One row of the older `endsong_<n>.json` files. */
export interface EndsongRow {
  ts: string;
  username: string;
  platform: string;
  ms_played: number;
  conn_country: string;
  ip_addr_decrypted: string;
  user_agent_decrypted: string;
  master_metadata_track_name: string | null;
  master_metadata_album_artist_name: string | null;
  master_metadata_album_album_name: string | null;
  spotify_track_uri: string | null;
  episode_name: string | null;
  episode_show_name: string | null;
  spotify_episode_uri: string | null;
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

/** A row of the streaming history, with what it is and whether it repeats the previous row. */
export interface ExportRow<R = ExtendedStreamingRow | EndsongRow> {
  readonly kind: ExportRowKind;
  /** True when this row is a verbatim repeat of the row before it (exports hold duplicates). */
  readonly duplicate: boolean;
  /** When the stream ended, ms. */
  readonly endedAtMs: number;
  readonly row: R;
  /** For music rows: the play of the world's ground truth it was written from. */
  readonly play?: WorldPlay;
}

/** Options of {@link streamExportRows} (a subset of the data-export options). */
export interface ExportRowsOptions {
  readonly seed: number;
  readonly persona: PersonaName;
  /** Music plays to include (the most recent ones before `endTimeMs`). */
  readonly plays: number;
  readonly naming?: 'extended' | 'endsong';
  readonly endTimeMs?: number;
}

/** The world an export is drawn from: one user of the persona with a history long enough. */
export function exportWorld(
  seed: number,
  persona: PersonaName,
  plays: number,
  endTimeMs: number,
): { world: World; userId: string } {
  const perDay = dailyPlays(PERSONAS[persona]);
  const historyDays = Math.min(MAX_HISTORY_DAYS, Math.ceil((plays / perDay) * 1.5) + 30);
  const world = createWorld({
    seed,
    size: 'small',
    users: 1,
    personas: [persona],
    startTimeMs: endTimeMs,
    historyDays,
  });
  const userId = world.users.keys().next().value as string;
  return { world, userId };
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

const IP_FIRST_OCTETS = [
  31, 46, 62, 77, 80, 84, 85, 88, 91, 94, 95, 109, 176, 178, 185, 188, 212, 213, 217,
];

const OLD_PLATFORMS: Record<string, string> = {
  android: 'Android OS 11 API 30 (samsung, SM-G991B)',
  ios: 'iOS 15.4 (iPhone13,2)',
  windows: 'Windows 10 (10.0.19044; x64)',
  osx: 'OS X 12.3.1 [x86 8]',
  linux: 'Linux [x86-64 0]',
  web_player: 'WebPlayer (websocket RFC6455)',
  cast: 'Partner google cast_tv;Chromecast;;',
};

/** Older exports did not record "not skipped" before this instant (`skipped: null`). */
const OLD_SKIP_UNKNOWN_BEFORE = Date.UTC(2020, 0, 1);

interface MediaFields {
  readonly track: string | null;
  readonly artist: string | null;
  readonly album: string | null;
  readonly trackUri: string | null;
  readonly episode: string | null;
  readonly show: string | null;
  readonly episodeUri: string | null;
  readonly book: string | null;
  readonly bookUri: string | null;
  readonly chapterUri: string | null;
  readonly chapter: string | null;
}

const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * Yields the rows of a data export's streaming history in the order they are written, without
 * keeping them: the ground truth of {@link writeDataExport}'s streaming-history files (which add
 * one thing: the last row of each file is repeated at the start of the next, as real exports do).
 * Deterministic from the options.
 *
 * @example
 * ```ts
 * let episodes = 0;
 * for (const r of streamExportRows({ seed: 1, persona: 'night-owl', plays: 1000 })) if (r.kind === 'episode') episodes++;
 * ```
 */
export function* streamExportRows(options: ExportRowsOptions): Generator<ExportRow> {
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
  const rng = new Rng(mixSeed(seed, 0xe4b0, hashText(userId)));
  const ips = new Map<string, string>();
  const ipOf = (ms: number, platform: string): string => {
    const key = `${Math.floor(ms / (30 * DAY_MS))}|${platform}`;
    let ip = ips.get(key);
    if (ip === undefined) {
      const r = new Rng(mixSeed(seed, hashText(key), 0x1b));
      ip = `${r.pick(IP_FIRST_OCTETS)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
      if (ips.size > 1000) ips.clear();
      ips.set(key, ip);
    }
    return ip;
  };
  const media = new Map<string, MediaFields>();
  const mediaOf = (track: WorldTrack): MediaFields => {
    let m = media.get(track.id);
    if (m === undefined) {
      const album = world.albums.get(track.albumId);
      m = {
        track: track.name,
        artist: world.artists.get(album?.artistIds[0] ?? track.artistIds[0] ?? '')?.name ?? '',
        album: album?.name ?? '',
        trackUri: `spotify:track:${track.id}`,
        episode: null,
        show: null,
        episodeUri: null,
        book: null,
        bookUri: null,
        chapterUri: null,
        chapter: null,
      };
      if (media.size > 20_000) media.clear();
      media.set(track.id, m);
    }
    return m;
  };

  const extended = naming === 'extended';
  /** Builds a row with a fixed field order (literal objects keep JSON.stringify fast). */
  const build = (
    endedAtMs: number,
    platform: string,
    country: string,
    msPlayed: number,
    m: MediaFields,
    reasonStart: string,
    reasonEnd: string,
    shuffle: boolean,
    skipped: boolean | null,
    offline: boolean,
    offlineTimestamp: number,
    incognito: boolean,
  ): ExtendedStreamingRow | EndsongRow => {
    const ip = ipOf(endedAtMs, platform);
    if (extended) {
      return {
        ts: isoSeconds(endedAtMs),
        platform,
        ms_played: msPlayed,
        conn_country: country,
        ip_addr: ip,
        master_metadata_track_name: m.track,
        master_metadata_album_artist_name: m.artist,
        master_metadata_album_album_name: m.album,
        spotify_track_uri: m.trackUri,
        episode_name: m.episode,
        episode_show_name: m.show,
        spotify_episode_uri: m.episodeUri,
        audiobook_title: m.book,
        audiobook_uri: m.bookUri,
        audiobook_chapter_uri: m.chapterUri,
        audiobook_chapter_title: m.chapter,
        reason_start: reasonStart,
        reason_end: reasonEnd,
        shuffle,
        skipped: skipped ?? false,
        offline,
        offline_timestamp: offlineTimestamp,
        incognito_mode: incognito,
      };
    }
    return {
      ts: isoSeconds(endedAtMs),
      username: userId,
      platform: OLD_PLATFORMS[platform] ?? platform,
      ms_played: msPlayed,
      conn_country: country,
      ip_addr_decrypted: ip,
      user_agent_decrypted:
        platform === 'web_player' ? 'Mozilla/5.0 (X11; Linux x86_64)' : 'unknown',
      master_metadata_track_name: m.track,
      master_metadata_album_artist_name: m.artist,
      master_metadata_album_album_name: m.album,
      spotify_track_uri: m.trackUri,
      episode_name: m.episode,
      episode_show_name: m.show,
      spotify_episode_uri: m.episodeUri,
      reason_start: reasonStart,
      reason_end: reasonEnd,
      shuffle,
      skipped,
      offline,
      offline_timestamp: offlineTimestamp,
      incognito_mode: incognito,
    };
  };

  const nonMusic = (
    kind: 'episode' | 'audiobook',
    endedAtMs: number,
    msPlayed: number,
    platform: string,
  ): ExportRow => {
    const show = kind === 'episode' ? words.show(rng, seed) : undefined;
    const book = kind === 'audiobook' ? words.book(rng, seed) : undefined;
    const media: MediaFields = {
      track: null,
      artist: null,
      album: null,
      trackUri: null,
      episode: show?.episode ?? null,
      show: show?.name ?? null,
      episodeUri: show === undefined ? null : `spotify:episode:${show.episodeId}`,
      book: book?.title ?? null,
      bookUri: book === undefined ? null : `spotify:audiobook:${book.id}`,
      chapterUri: book === undefined ? null : `spotify:chapter:${book.chapterId}`,
      chapter: book?.chapter ?? null,
    };
    const reasonEnd = rng.chance(0.6) ? 'endplay' : 'trackdone';
    const row = build(
      endedAtMs,
      platform,
      user.country,
      msPlayed,
      media,
      'clickrow',
      reasonEnd,
      false,
      false,
      false,
      0,
      false,
    );
    return { kind, duplicate: false, endedAtMs, row };
  };

  const fromMs = firstPlayFrom(world, userId, plays, endTimeMs);
  let previousEnd = Number.NEGATIVE_INFINITY;
  let written = 0;
  for (const play of world.streamPlays(userId, fromMs, endTimeMs)) {
    if (written >= plays) break;
    written++;
    const startMs = play.endedAtMs - play.msPlayed;
    const gap = startMs - previousEnd;
    // In a long pause before a session: sometimes a podcast episode or an audiobook chapter.
    if (gap > 20 * 60_000 && previousEnd > 0 && rng.chance(extended ? 0.08 : 0.06)) {
      const kind = extended && rng.chance(0.12) ? 'audiobook' : 'episode';
      const msPlayed = Math.min(gap - 5 * 60_000, (3 + rng.int(50)) * 60_000 + rng.int(60_000));
      const endedAt = startMs - 60_000 - rng.int(120_000);
      const r = nonMusic(
        kind,
        endedAt,
        msPlayed,
        play.offline ? play.platform : rng.chance(0.5) ? play.platform : 'ios',
      );
      yield r;
    }
    const track = world.tracks.get(play.trackId) as WorldTrack;
    const skipped =
      !extended && !play.skipped && play.endedAtMs < OLD_SKIP_UNKNOWN_BEFORE ? null : play.skipped;
    const music = build(
      play.endedAtMs,
      play.platform,
      play.connCountry,
      play.msPlayed,
      mediaOf(track),
      play.reasonStart,
      play.reasonEnd,
      play.shuffle,
      skipped,
      play.offline,
      play.offlineTimestampMs,
      play.incognito,
    );
    const r: ExportRow = {
      kind: 'music',
      duplicate: false,
      endedAtMs: play.endedAtMs,
      row: music,
      play,
    };
    yield r;
    // Exports hold duplicates: now and then a row appears twice.
    if (rng.chance(0.003))
      yield { kind: 'music', duplicate: true, endedAtMs: play.endedAtMs, row: music, play };
    previousEnd = play.endedAtMs;
  }
}
