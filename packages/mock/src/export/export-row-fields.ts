import { hashText, mixSeed, Rng } from '../world/prng.js';
import type { World, WorldTrack } from '../world/types.js';
import type { EndsongRow, ExtendedStreamingRow } from './export-rows.js';
import { words } from './export-words.js';

const DAY_MS = 86_400_000;

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

/** What a row says it played: a track, an episode or an audiobook chapter (the rest `null`). */
export interface MediaFields {
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

/** Everything a streaming-history row records about one stream. */
export interface StreamFacts {
  readonly endedAtMs: number;
  readonly platform: string;
  readonly country: string;
  readonly msPlayed: number;
  readonly media: MediaFields;
  readonly reasonStart: string;
  readonly reasonEnd: string;
  readonly shuffle: boolean;
  /** `null` only in older exports, for plays before 2020 that were not skipped. */
  readonly skipped: boolean | null;
  readonly offline: boolean;
  readonly offlineTimestamp: number;
  readonly incognito: boolean;
}

export const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * The IP address of a platform in a 30-day window: stable within the window, deterministic from
 * the seed. Remembers at most about 1,000 windows.
 */
export function ipBook(seed: number): (endedAtMs: number, platform: string) => string {
  const ips = new Map<string, string>();
  return (ms, platform) => {
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
}

/** The media fields of a world track (its album's first artist), remembering about 20,000. */
export function trackMediaBook(world: World): (track: WorldTrack) => MediaFields {
  const media = new Map<string, MediaFields>();
  return (track) => {
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
}

/** The media fields of a made-up podcast episode or audiobook chapter. */
export function nonMusicMedia(kind: 'episode' | 'audiobook', rng: Rng, seed: number): MediaFields {
  const show = kind === 'episode' ? words.show(rng, seed) : undefined;
  const book = kind === 'audiobook' ? words.book(rng, seed) : undefined;
  return {
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
}

/** A row of `Streaming_History_Audio_*.json` (fixed field order: literals keep JSON fast). */
export function extendedRow(f: StreamFacts, ip: string): ExtendedStreamingRow {
  const m = f.media;
  return {
    ts: isoSeconds(f.endedAtMs),
    platform: f.platform,
    ms_played: f.msPlayed,
    conn_country: f.country,
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
    reason_start: f.reasonStart,
    reason_end: f.reasonEnd,
    shuffle: f.shuffle,
    skipped: f.skipped ?? false,
    offline: f.offline,
    offline_timestamp: f.offlineTimestamp,
    incognito_mode: f.incognito,
  };
}

/** A row of the older `endsong_<n>.json` files, for `userId`. */
export function endsongRow(f: StreamFacts, ip: string, userId: string): EndsongRow {
  const m = f.media;
  return {
    ts: isoSeconds(f.endedAtMs),
    username: userId,
    platform: OLD_PLATFORMS[f.platform] ?? f.platform,
    ms_played: f.msPlayed,
    conn_country: f.country,
    ip_addr: ip,
    ip_addr_decrypted: ip,
    user_agent_decrypted:
      f.platform === 'web_player' ? 'Mozilla/5.0 (X11; Linux x86_64)' : 'unknown',
    master_metadata_track_name: m.track,
    master_metadata_album_artist_name: m.artist,
    master_metadata_album_album_name: m.album,
    spotify_track_uri: m.trackUri,
    episode_name: m.episode,
    episode_show_name: m.show,
    spotify_episode_uri: m.episodeUri,
    audiobook_title: null,
    audiobook_uri: null,
    audiobook_chapter_uri: null,
    audiobook_chapter_title: null,
    reason_start: f.reasonStart,
    reason_end: f.reasonEnd,
    shuffle: f.shuffle,
    skipped: f.skipped,
    offline: f.offline,
    offline_timestamp: f.offlineTimestamp,
    incognito_mode: f.incognito,
  };
}
