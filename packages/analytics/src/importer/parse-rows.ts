import type { Play } from '@spoti/catalog';
import type { ExportFile } from './export-source.js';
import { EXPORT_LIMITS, truncateText } from './export-limits.js';
import type { ExportItem } from './export-types.js';

/** A row problem: its index, whether it was skipped or repaired, and what is wrong with it. */
export interface RowIssue {
  readonly row: number;
  /** `EXPORT_MALFORMED_ROW`: the row was skipped; `EXPORT_TRUNCATED_FIELD`: kept, text cut short. */
  readonly code: 'EXPORT_MALFORMED_ROW' | 'EXPORT_TRUNCATED_FIELD';
  readonly message: string;
}

/** The instants a row's play may end at: [earliest, latest]. */
export interface PlayTimeRange {
  readonly earliest: number;
  readonly latest: number;
  /** How `latest` was found, for messages ("the export's file times", "exportedAt", ...). */
  readonly latestSource: string;
}

type Row = Record<string, unknown>;

/** Text fields cut to the limit in the row being read (reset per row). */
let truncated: string[] = [];

const str = (v: unknown, field?: string): string | null => {
  if (typeof v !== 'string' || v === '') return null;
  if (v.length <= EXPORT_LIMITS.maxTextLength) return v;
  truncated.push(`${field ?? 'a text field'} (${v.length.toLocaleString('en-US')} characters)`);
  return truncateText(v);
};
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** Account-data `endTime`: "YYYY-MM-DD HH:MM" in UTC. */
const ACCOUNT_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

function accountTime(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const m = ACCOUNT_TIME.exec(value);
  if (m === null) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

/** One string per distinct track id of an import (see {@link trackIdOf}). */
export type IdTable = Record<string, string>;

/** A fresh table for {@link parseRows}. */
export const createIdTable = (): IdTable => Object.create(null) as IdTable;

/**
 * The id part of `spotify:track:<id>` (or the whole value when it is a bare id), one string per
 * distinct id: using it as a property key interns it, so every later lookup of the same id (the
 * index's track map, each statistic) compares one pointer instead of 22 characters of a slice.
 */
function trackIdOf(uri: string | null, ids: IdTable): string | null {
  if (uri === null) return null;
  const colon = uri.lastIndexOf(':');
  const id = colon < 0 ? uri : uri.slice(colon + 1);
  if (id === '') return null;
  const known = ids[id];
  if (known !== undefined) return known;
  ids[id] = id;
  return id;
}

/**
 * Offline timestamps are ms in current exports and seconds in some older ones; 0 means unset, and
 * so does a value outside the range a play may end in.
 */
function offlineMs(value: unknown, range: PlayTimeRange): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  const ms = Math.trunc(value < 1e11 ? value * 1000 : value);
  return ms >= range.earliest && ms <= range.latest ? ms : null;
}

/** A short, bounded rendering of a JSON value for a message. */
function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? 'an array' : 'an object';
  return String(v);
}

const isoOrRaw = (ms: number) =>
  Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);

/** Why a play ending at `endedAt` cannot be in the history, or null when it can. */
function outOfRange(endedAt: number, range: PlayTimeRange): string | null {
  if (endedAt < range.earliest)
    return `is before ${new Date(range.earliest).toISOString().slice(0, 10)}, earlier than any Spotify history`;
  if (endedAt > range.latest)
    return `is after the export was made (${range.latestSource}) plus a day`;
  return null;
}

/** What every row of one file is read with. */
interface RowContext {
  readonly path: string;
  readonly userId: string;
  readonly range: PlayTimeRange;
  readonly ids: IdTable;
  readonly onIssue: (issue: RowIssue) => void;
}

/**
 * Turns the rows of one history file into items; yields `null` for rows that are skipped (no
 * media at all, malformed rows in tolerant mode). Rows before `firstRow` are not read. `rows` may
 * be a slice of the file's rows: `base` is the row number of `rows[0]` (default 0).
 */
export function* parseRows(
  rows: readonly unknown[],
  file: ExportFile,
  firstRow: number,
  userId: string,
  range: PlayTimeRange,
  ids: IdTable,
  onIssue: (issue: RowIssue) => void,
  base = 0,
): Generator<ExportItem | null, void, undefined> {
  const context: RowContext = { path: file.path, userId, range, ids, onIssue };
  for (let at = Math.max(0, firstRow - base); at < rows.length; at++) {
    const index = base + at;
    truncated = [];
    const item = parseRow(rows[at], index, context);
    if (item !== null && truncated.length > 0) {
      onIssue({
        row: index,
        code: 'EXPORT_TRUNCATED_FIELD',
        message: `Cut to ${EXPORT_LIMITS.maxTextLength} characters: ${truncated.join(', ')}`,
      });
    }
    truncated = [];
    yield item;
  }
}

/** A podcast episode or audiobook chapter, counted apart from music. */
function spokenItem(
  kind: 'podcast' | 'audiobook',
  file: string,
  row: number,
  endedAt: number,
  msPlayed: number,
  title: string,
  show: string | null,
): ExportItem {
  return { kind, file, row, endedAt, msPlayed, title, show };
}

const skip = (onIssue: (issue: RowIssue) => void, row: number, message: string): null => {
  onIssue({ row, code: 'EXPORT_MALFORMED_ROW', message });
  return null;
};

/** One row as an item, or null when it is skipped (reported through `onIssue` unless harmless). */
function parseRow(raw: unknown, index: number, context: RowContext): ExportItem | null {
  const { onIssue } = context;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return skip(onIssue, index, `Row is not an object (${describe(raw)})`);
  const row = raw as Row;
  const msPlayed = row.ms_played ?? row.msPlayed;
  if (typeof msPlayed !== 'number' || !Number.isFinite(msPlayed) || msPlayed < 0)
    return skip(onIssue, index, `Invalid ms_played/msPlayed: ${describe(msPlayed)}`);
  if (msPlayed > EXPORT_LIMITS.maxMsPlayed)
    return skip(onIssue, index, `Invalid ms_played/msPlayed: ${msPlayed} is more than 24 hours`);
  const ms = Math.round(msPlayed);
  if ('ts' in row) return parseExtendedRow(row, ms, index, context);
  if ('endTime' in row) return parseAccountRow(row, ms, index, context);
  return skip(onIssue, index, 'Row has neither ts (extended history) nor endTime (account data)');
}

/** A row of the extended streaming history (`ts`): a track, an episode, a book or nothing. */
function parseExtendedRow(
  row: Row,
  ms: number,
  index: number,
  { path, userId, range, ids, onIssue }: RowContext,
): ExportItem | null {
  const endedAt = typeof row.ts === 'string' ? Date.parse(row.ts) : Number.NaN;
  if (Number.isNaN(endedAt)) return skip(onIssue, index, `Invalid ts: ${describe(row.ts)}`);
  const wrong = outOfRange(endedAt, range);
  if (wrong !== null) return skip(onIssue, index, `Invalid ts: ${isoOrRaw(endedAt)} ${wrong}`);
  const trackUri = str(row.spotify_track_uri, 'spotify_track_uri');
  const trackName = str(row.master_metadata_track_name, 'master_metadata_track_name');
  if (trackUri !== null || trackName !== null) {
    const play: Play = {
      userId,
      trackId: trackIdOf(trackUri, ids),
      trackName: trackName ?? '',
      artistIds: [],
      artistName:
        str(row.master_metadata_album_artist_name, 'master_metadata_album_artist_name') ?? '',
      albumId: null,
      albumName: str(row.master_metadata_album_album_name, 'master_metadata_album_album_name'),
      endedAt,
      msPlayed: ms,
      skipped: bool(row.skipped),
      reasonStart: str(row.reason_start, 'reason_start'),
      reasonEnd: str(row.reason_end, 'reason_end'),
      shuffle: bool(row.shuffle),
      offline: bool(row.offline),
      offlineTimestamp: offlineMs(row.offline_timestamp, range),
      platform: str(row.platform, 'platform'),
      source: 'export',
    };
    return { kind: 'music', play, file: path, row: index };
  }
  const episodeName = str(row.episode_name, 'episode_name');
  const episode = episodeName ?? str(row.spotify_episode_uri, 'spotify_episode_uri');
  if (episode !== null) {
    const show = str(row.episode_show_name, 'episode_show_name');
    return spokenItem('podcast', path, index, endedAt, ms, episode, show);
  }
  const bookTitle = str(row.audiobook_title, 'audiobook_title');
  const book = bookTitle ?? str(row.audiobook_uri, 'audiobook_uri');
  if (book !== null) {
    const title = str(row.audiobook_chapter_title, 'audiobook_chapter_title') ?? book;
    return spokenItem('audiobook', path, index, endedAt, ms, title, bookTitle);
  }
  // No track, episode or book: removed or local content; nothing to count.
  return null;
}

/** A row of the account-data streaming history (`endTime`): a track or an episode. */
function parseAccountRow(
  row: Row,
  ms: number,
  index: number,
  { path, userId, range, onIssue }: RowContext,
): ExportItem | null {
  const endedAt = accountTime(row.endTime);
  if (Number.isNaN(endedAt))
    return skip(
      onIssue,
      index,
      `Invalid endTime (expected "YYYY-MM-DD HH:MM"): ${describe(row.endTime)}`,
    );
  const wrong = outOfRange(endedAt, range);
  if (wrong !== null) return skip(onIssue, index, `Invalid endTime: ${isoOrRaw(endedAt)} ${wrong}`);
  if ('podcastName' in row || 'episodeName' in row) {
    const title = str(row.episodeName, 'episodeName') ?? '';
    const show = str(row.podcastName, 'podcastName');
    return spokenItem('podcast', path, index, endedAt, ms, title, show);
  }
  const trackName = str(row.trackName, 'trackName');
  const artistName = str(row.artistName, 'artistName');
  if (trackName === null && artistName === null)
    return skip(onIssue, index, 'Row has neither trackName nor artistName');
  const play: Play = {
    userId,
    trackId: null,
    trackName: trackName ?? '',
    artistIds: [],
    artistName: artistName ?? '',
    albumId: null,
    albumName: null,
    endedAt,
    msPlayed: ms,
    skipped: null,
    reasonStart: null,
    reasonEnd: null,
    shuffle: null,
    offline: null,
    offlineTimestamp: null,
    platform: null,
    source: 'export',
  };
  return { kind: 'music', play, file: path, row: index };
}
