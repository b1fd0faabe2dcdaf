import type { ExportImportError } from '../errors/export-import-error.js';
import { createPlayIndex, type PlayIndex } from '../stats/play-index.js';
import type { ExportProgress, ReadSpotifyExportOptions } from './export-types.js';
import { readSpotifyExport } from './read-spotify-export.js';

/** What {@link importSpotifyExport} read. */
export interface ImportedExport {
  /** Distinct music plays (deduplicated by `@spoti/catalog`'s `playKey`), ready for `computeStats`. */
  plays: PlayIndex;
  /** Music rows dropped as duplicates. */
  duplicates: number;
  podcasts: { count: number; msPlayed: number };
  audiobooks: { count: number; msPlayed: number };
  /** Malformed rows/files skipped (tolerant mode only). */
  issues: ExportImportError[];
  /** Last progress reported (files, bytes and rows read). */
  progress: ExportProgress;
}

/**
 * Reads a whole export into a {@link PlayIndex}, dropping duplicate plays (the `playKey` rule of
 * `@spoti/catalog`: same track and second, offline plays by their offline timestamp) and counting
 * podcast and audiobook rows apart. Memory: one export file at a time plus the compact index.
 *
 * @example
 * ```ts
 * const imported = await importSpotifyExport('my_spotify_data.zip', { userId: 'me', strict: false });
 * const stats = computeStats(imported.plays, { timeZone: 'Europe/Berlin' });
 * ```
 */
export async function importSpotifyExport(
  source: string,
  options: ReadSpotifyExportOptions,
): Promise<ImportedExport> {
  const plays = createPlayIndex();
  const issues: ExportImportError[] = [];
  const podcasts = { count: 0, msPlayed: 0 };
  const audiobooks = { count: 0, msPlayed: 0 };
  let progress: ExportProgress = { files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0, rows: 0 };
  for await (const item of readSpotifyExport(source, {
    ...options,
    onProgress: (p) => {
      progress = p;
      options.onProgress?.(p);
    },
    onIssue: (e) => {
      issues.push(e);
      options.onIssue?.(e);
    },
  })) {
    if (item.kind === 'music') plays.add(item.play);
    else {
      const bucket = item.kind === 'podcast' ? podcasts : audiobooks;
      bucket.count++;
      bucket.msPlayed += item.msPlayed;
    }
  }
  return { plays, duplicates: plays.duplicates, podcasts, audiobooks, issues, progress };
}
