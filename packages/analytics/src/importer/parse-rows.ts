import type { Play } from '@spoti/catalog';
import type { ExportFile } from './export-source.js';
import type { ExportItem } from './export-types.js';

/** A malformed row: its index and what is wrong with it. */
export interface RowIssue {
  readonly row: number;
  readonly message: string;
}

type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/** Account-data `endTime`: "YYYY-MM-DD HH:MM" in UTC. */
const ACCOUNT_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;

function accountTime(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const m = ACCOUNT_TIME.exec(value);
  if (m === null) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

/** The id part of `spotify:track:<id>` (or the whole value when it is a bare id). */
function trackIdOf(uri: string | null): string | null {
  if (uri === null) return null;
  const colon = uri.lastIndexOf(':');
  const id = colon < 0 ? uri : uri.slice(colon + 1);
  return id === '' ? null : id;
}

/** Offline timestamps are ms in current exports and seconds in some older ones; 0 means unset. */
function offlineMs(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  return Math.trunc(value < 1e11 ? value * 1000 : value);
}

const describe = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v)?.slice(0, 40));

/**
 * Turns the rows of one history file into items; yields `null` for rows that are skipped (no
 * media at all, malformed rows in tolerant mode). Rows before `firstRow` are not read.
 */
export function* parseRows(
  rows: readonly unknown[],
  file: ExportFile,
  firstRow: number,
  userId: string,
  onIssue: (issue: RowIssue) => void,
): Generator<ExportItem | null, void, undefined> {
  const path = file.path;
  for (let index = firstRow; index < rows.length; index++) {
    const raw = rows[index];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      onIssue({ row: index, message: `Row is not an object (${describe(raw)})` });
      yield null;
      continue;
    }
    const row = raw as Row;
    const msPlayed = row.ms_played ?? row.msPlayed;
    if (typeof msPlayed !== 'number' || !Number.isFinite(msPlayed) || msPlayed < 0) {
      onIssue({
        row: index,
        message: `Invalid ms_played/msPlayed: ${describe(msPlayed)}`,
      });
      yield null;
      continue;
    }
    const ms = Math.round(msPlayed);

    if ('ts' in row) {
      const endedAt = typeof row.ts === 'string' ? Date.parse(row.ts) : Number.NaN;
      if (Number.isNaN(endedAt)) {
        onIssue({ row: index, message: `Invalid ts: ${describe(row.ts)}` });
        yield null;
        continue;
      }
      const trackUri = str(row.spotify_track_uri);
      const trackName = str(row.master_metadata_track_name);
      if (trackUri !== null || trackName !== null) {
        const play: Play = {
          userId,
          trackId: trackIdOf(trackUri),
          trackName: trackName ?? '',
          artistIds: [],
          artistName: str(row.master_metadata_album_artist_name) ?? '',
          albumId: null,
          albumName: str(row.master_metadata_album_album_name),
          endedAt,
          msPlayed: ms,
          skipped: bool(row.skipped),
          reasonStart: str(row.reason_start),
          reasonEnd: str(row.reason_end),
          shuffle: bool(row.shuffle),
          offline: bool(row.offline),
          offlineTimestamp: offlineMs(row.offline_timestamp),
          platform: str(row.platform),
          source: 'export',
        };
        yield { kind: 'music', play, file: path, row: index };
        continue;
      }
      const episode = str(row.episode_name) ?? str(row.spotify_episode_uri);
      if (episode !== null) {
        yield {
          kind: 'podcast',
          file: path,
          row: index,
          endedAt,
          msPlayed: ms,
          title: str(row.episode_name) ?? episode,
          show: str(row.episode_show_name),
        };
        continue;
      }
      const book = str(row.audiobook_title) ?? str(row.audiobook_uri);
      if (book !== null) {
        yield {
          kind: 'audiobook',
          file: path,
          row: index,
          endedAt,
          msPlayed: ms,
          title: str(row.audiobook_chapter_title) ?? str(row.audiobook_title) ?? book,
          show: str(row.audiobook_title),
        };
        continue;
      }
      // No track, episode or book: removed or local content; nothing to count.
      yield null;
      continue;
    }

    if ('endTime' in row) {
      const endedAt = accountTime(row.endTime);
      if (Number.isNaN(endedAt)) {
        onIssue({
          row: index,
          message: `Invalid endTime (expected "YYYY-MM-DD HH:MM"): ${describe(row.endTime)}`,
        });
        yield null;
        continue;
      }
      if ('podcastName' in row || 'episodeName' in row) {
        yield {
          kind: 'podcast',
          file: path,
          row: index,
          endedAt,
          msPlayed: ms,
          title: str(row.episodeName) ?? '',
          show: str(row.podcastName),
        };
        continue;
      }
      const trackName = str(row.trackName);
      const artistName = str(row.artistName);
      if (trackName === null && artistName === null) {
        onIssue({ row: index, message: 'Row has neither trackName nor artistName' });
        yield null;
        continue;
      }
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
      yield { kind: 'music', play, file: path, row: index };
      continue;
    }

    onIssue({
      row: index,
      message: 'Row has neither ts (extended history) nor endTime (account data)',
    });
    yield null;
  }
}
