import type { Play } from '@spoti/catalog';
import type { ExportImportError } from '../errors/export-import-error.js';

/**
 * Where to resume an import: `file` is the entry path inside the zip/folder, `row` the index of
 * the next row to read in that file. Files are processed in a stable sorted order, so a
 * checkpoint taken from an item (`{ file: item.file, row: item.row + 1 }`) resumes right after it.
 */
export interface ExportCheckpoint {
  file: string;
  row: number;
}

/**
 * One row of a Spotify data export: a music play in `@spoti/catalog`'s `Play` shape
 * (source `export`), or a podcast episode / audiobook chapter kept apart from music.
 */
export type ExportItem =
  | { kind: 'music'; play: Play; file: string; row: number }
  | {
      kind: 'podcast' | 'audiobook';
      file: string;
      row: number;
      /** Unix ms the stream ended. */
      endedAt: number;
      msPlayed: number;
      /** Episode name or audiobook chapter title (book title when the chapter has none). */
      title: string;
      /** Podcast show or audiobook title; null when the export does not say. */
      show: string | null;
    };

/** Progress of {@link readSpotifyExport}, reported after every file and every 10,000 rows. */
export interface ExportProgress {
  /** Files finished so far. */
  files: number;
  /** Listening-history files the import will read. */
  filesTotal: number;
  /** Uncompressed bytes of history files read so far. */
  bytes: number;
  /** Uncompressed bytes of every history file. */
  bytesTotal: number;
  /** Rows handled so far (items yielded plus rows skipped). */
  rows: number;
}

/** Options of {@link readSpotifyExport}. */
export interface ReadSpotifyExportOptions {
  /** The `userId` of every imported `Play`. */
  userId: string;
  /**
   * `true` (default): the first malformed file or row throws an {@link ExportImportError} naming
   * the file and row. `false`: malformed rows/files are skipped and reported through `onIssue`.
   * Repairs that lose no play (a text field cut to `EXPORT_LIMITS.maxTextLength`, bytes that are
   * not UTF-8 replaced) are reported through `onIssue` in both modes and never throw.
   */
  strict?: boolean;
  /**
   * When the export was made (Unix ms): rows ending more than a day later are skipped as
   * impossible. Default: the newest modification time of the export's history files (zip entry
   * or file times), or the current time when those are missing or before 2006.
   */
  exportedAt?: number;
  /**
   * Account data (`StreamingHistory*.json`: one year, minute precision, no ids) repeats plays the
   * Extended streaming history already holds. `auto` (default): read Account-data files only when
   * the source has no Extended-history file; `include`: always read them; `skip`: never.
   */
  accountData?: 'auto' | 'include' | 'skip';
  /**
   * Largest history file accepted, in uncompressed bytes (default 256 MiB; Spotify's are about
   * 12 MB). A larger file is a malformed-file issue instead of a memory blow-up.
   */
  maxFileBytes?: number;
  /** Resume from a checkpoint (files before it and rows before `row` in its file are skipped). */
  from?: ExportCheckpoint;
  /** Aborts the import: the iterator throws an `AnalyticsError` with code `ABORTED`. */
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  /**
   * Called for each malformed row or file that was skipped (tolerant mode) and for each repair
   * (both modes): codes `EXPORT_MALFORMED_FILE`, `EXPORT_MALFORMED_ROW`, `EXPORT_BAD_ARCHIVE`,
   * `EXPORT_TRUNCATED_FIELD`, `EXPORT_INVALID_UTF8` (once per file).
   */
  onIssue?: (error: ExportImportError) => void;
}
