import type { RowIssue } from './parse-rows.js';

/**
 * Music plays of a run of rows as columns (typed arrays a worker can transfer without copying):
 * one entry per play, `count` of them used. Tracks are numbers of the worker's track table.
 */
export interface PlayColumns {
  readonly count: number;
  readonly endedAt: Float64Array;
  readonly msPlayed: Float64Array;
  /** Offline timestamp (ms) or NaN. */
  readonly offlineTimestamp: Float64Array;
  /** -1 unknown, 0 online, 1 offline. */
  readonly offline: Int8Array;
  /** -1 unknown, 0 played through, 1 skipped (see `skippedOf`). */
  readonly skipped: Int8Array;
  /** The row of the file each play came from. */
  readonly row: Int32Array;
  /** The worker's number for the play's track. */
  readonly track: Int32Array;
}

/** Tracks first met in a chunk, numbered on from those of earlier chunks, by column. */
export interface NewTracks {
  readonly id: (string | null)[];
  readonly name: string[];
  readonly artist: string[];
  readonly album: (string | null)[];
}

/**
 * Problems of a chunk's rows as columns (ten million malformed rows must not mean ten million
 * objects cloned between threads): row, code (0 `EXPORT_MALFORMED_ROW`, 1
 * `EXPORT_TRUNCATED_FIELD`) and the message by its number in `messages`, which holds each distinct
 * message of the chunk once.
 */
export interface RowIssues {
  readonly count: number;
  readonly row: Int32Array;
  readonly code: Int8Array;
  readonly message: Int32Array;
  readonly messages: string[];
}

/** The code of a row problem by its number in {@link RowIssues}. */
export const ROW_ISSUE_CODES: readonly RowIssue['code'][] = [
  'EXPORT_MALFORMED_ROW',
  'EXPORT_TRUNCATED_FIELD',
];

/** Podcast or audiobook rows of a chunk: how many and their total `msPlayed`. */
export interface OtherTotals {
  count: number;
  msPlayed: number;
}

/** Asks the worker to read one file. */
export interface ParseRequest {
  readonly seq: number;
  readonly path: string;
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly firstRow: number;
  readonly userId: string;
  readonly range: { earliest: number; latest: number; latestSource: string };
}

/** What the worker found of a file before its rows: sent first, once per file. */
export interface FileStart {
  readonly type: 'start';
  readonly seq: number;
  /** Some bytes were not UTF-8 and were replaced. */
  readonly replaced: boolean;
  /** Why the file gives no rows (not JSON, not an array), or null. */
  readonly problem: { reason: string; cause: unknown } | null;
  /** Rows in the file (0 when unusable). */
  readonly rows: number;
}

/** Up to 10,000 rows of a file, in order: their plays, problems and other media. */
export interface RowChunk {
  readonly type: 'chunk';
  readonly seq: number;
  /** The rows covered: `[rowStart, rowEnd)`. */
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly plays: PlayColumns;
  readonly tracks: NewTracks;
  /** Problems of these rows, in row order. */
  readonly issues: RowIssues;
  readonly podcasts: OtherTotals;
  readonly audiobooks: OtherTotals;
  /** The last chunk of the file. */
  readonly last: boolean;
}

/** A failure of the worker itself (a bug, not a problem of the export). */
export interface WorkerFailure {
  readonly type: 'failure';
  readonly error: unknown;
}

/** Messages from the worker. */
export type WorkerMessage = FileStart | RowChunk | WorkerFailure;

/** Slots of the shared flow-control array. */
export const FLOW = {
  /** Chunks the main thread has taken in so far. */
  consumed: 0,
  /** Set to 1 when the main thread stops listening. */
  cancelled: 1,
} as const;

/** Chunks the worker may have posted but not yet taken in (bounds memory on huge files). */
export const CHUNKS_AHEAD = 6;
