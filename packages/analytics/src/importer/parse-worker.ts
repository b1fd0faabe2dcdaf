// A worker thread that reads history files for `importSpotifyExport`: it decodes and parses each
// file and reduces its rows to columns (typed arrays, transferred without copying) and a table of
// the tracks first met, so the main thread only adds numbers to its index. Started by
// `read-export-in-worker.ts`; one file at a time, in the order they are sent.
import { parentPort, workerData } from 'node:worker_threads';
import { skippedOf } from '../internal/skipped-of.js';
import type { ExportItem } from './export-types.js';
import { parseFile } from './parse-file.js';
import {
  CHUNKS_AHEAD,
  FLOW,
  type FileStart,
  type NewTracks,
  type ParseRequest,
  type PlayColumns,
  ROW_ISSUE_CODES,
  type RowChunk,
  type RowIssues,
  type WorkerMessage,
} from './play-columns.js';
import { createIdTable, parseRows, type RowIssue } from './parse-rows.js';

const CHUNK_ROWS = 10_000;
const port = parentPort;
if (port === null) throw new Error('parse-worker must run in a worker thread');
const flow = new Int32Array((workerData as { flow: SharedArrayBuffer }).flow);

/** Tracks by key (`t` + id, or `n` + artist and track name as given), numbered in order met. */
const trackNumbers = new Map<string, number>();
const ids = createIdTable();
let posted = 0;

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

/** Waits until the main thread has taken in all but a few chunks; false once it stopped. */
function waitForRoom(): boolean {
  for (;;) {
    if (Atomics.load(flow, FLOW.cancelled) === 1) return false;
    const consumed = Atomics.load(flow, FLOW.consumed);
    if (posted - consumed < CHUNKS_AHEAD) return true;
    Atomics.wait(flow, FLOW.consumed, consumed, 100);
  }
}

/** Collects the problems of a chunk's rows as {@link RowIssues}. */
class IssueWriter {
  readonly #rows: number[] = [];
  readonly #codes: number[] = [];
  readonly #message: number[] = [];
  readonly #messages: string[] = [];
  readonly #numbers = new Map<string, number>();

  add(issue: RowIssue): void {
    let k = this.#numbers.get(issue.message);
    if (k === undefined) {
      k = this.#messages.length;
      this.#messages.push(issue.message);
      this.#numbers.set(issue.message, k);
    }
    this.#rows.push(issue.row);
    this.#codes.push(ROW_ISSUE_CODES.indexOf(issue.code));
    this.#message.push(k);
  }

  done(): RowIssues {
    return {
      count: this.#rows.length,
      row: Int32Array.from(this.#rows),
      code: Int8Array.from(this.#codes),
      message: Int32Array.from(this.#message),
      messages: this.#messages,
    };
  }
}

function emptyColumns(n: number): PlayColumns & { count: number } {
  return {
    count: 0,
    endedAt: new Float64Array(n),
    msPlayed: new Float64Array(n),
    offlineTimestamp: new Float64Array(n),
    offline: new Int8Array(n),
    skipped: new Int8Array(n),
    row: new Int32Array(n),
    track: new Int32Array(n),
  };
}

/** The columns of one chunk of rows, before they are posted. */
type ChunkBody = Pick<RowChunk, 'plays' | 'tracks' | 'podcasts' | 'audiobooks'>;

/** Reads the items of rows `rowStart`..`rowEnd` into columns, numbering the tracks first met. */
function readChunk(
  items: Generator<ExportItem | null, void, undefined>,
  rowStart: number,
  rowEnd: number,
): ChunkBody {
  const plays = emptyColumns(rowEnd - rowStart);
  const tracks: NewTracks = { id: [], name: [], artist: [], album: [] };
  const podcasts = { count: 0, msPlayed: 0 };
  const audiobooks = { count: 0, msPlayed: 0 };
  for (let row = rowStart; row < rowEnd; row++) {
    const next = items.next();
    if (next.done === true) break;
    const item = next.value;
    if (item === null) continue;
    if (item.kind !== 'music') {
      const totals = item.kind === 'podcast' ? podcasts : audiobooks;
      totals.count++;
      totals.msPlayed += item.msPlayed;
      continue;
    }
    const play = item.play;
    const key =
      play.trackId !== null
        ? `t${play.trackId}`
        : `n${play.artistName.length}:${play.artistName}${play.trackName}`;
    let track = trackNumbers.get(key);
    if (track === undefined) {
      track = trackNumbers.size;
      trackNumbers.set(key, track);
      tracks.id.push(play.trackId);
      tracks.name.push(play.trackName);
      tracks.artist.push(play.artistName);
      tracks.album.push(play.albumName);
    }
    const j = plays.count++;
    plays.endedAt[j] = play.endedAt;
    plays.msPlayed[j] = play.msPlayed;
    plays.offlineTimestamp[j] = play.offlineTimestamp ?? Number.NaN;
    plays.offline[j] = play.offline === null ? -1 : play.offline ? 1 : 0;
    plays.skipped[j] = skippedOf(play);
    plays.row[j] = item.row;
    plays.track[j] = track;
  }
  return { plays, tracks, podcasts, audiobooks };
}

/** Posts a chunk, transferring its typed arrays. */
function postChunk(chunk: RowChunk): void {
  const { plays, issues } = chunk;
  posted++;
  post(chunk, [
    issues.row.buffer,
    issues.code.buffer,
    issues.message.buffer,
    plays.endedAt.buffer,
    plays.msPlayed.buffer,
    plays.offlineTimestamp.buffer,
    plays.offline.buffer,
    plays.skipped.buffer,
    plays.row.buffer,
    plays.track.buffer,
  ] as ArrayBuffer[]);
}

/** Decodes and parses a file's bytes, telling the main thread how that went. */
function startFile(request: ParseRequest): unknown[] | null {
  let problem: FileStart['problem'] = null;
  let replaced = false;
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.length);
  const rows = parseFile(
    { bytes },
    () => {
      replaced = true;
    },
    (_code, reason, cause) => {
      problem = { reason, cause };
    },
  );
  post({ type: 'start', seq: request.seq, replaced, problem, rows: rows?.length ?? 0 });
  return rows;
}

function readFile(request: ParseRequest): void {
  const rows = startFile(request);
  if (rows === null) return;
  const file = { path: request.path, size: request.size, modifiedAt: null };
  let issues = new IssueWriter();
  const items = parseRows(rows, file, request.firstRow, request.userId, request.range, ids, (i) =>
    issues.add(i),
  );
  let rowStart = request.firstRow;
  do {
    const rowEnd = Math.max(rowStart, Math.min(rows.length, rowStart + CHUNK_ROWS));
    const body = readChunk(items, rowStart, rowEnd);
    if (!waitForRoom()) return;
    postChunk({
      type: 'chunk',
      seq: request.seq,
      rowStart,
      rowEnd,
      ...body,
      issues: issues.done(),
      last: rowEnd >= rows.length,
    });
    issues = new IssueWriter();
    rowStart = rowEnd;
  } while (rowStart < rows.length);
}

port.on('message', (request: ParseRequest) => {
  try {
    readFile(request);
  } catch (error) {
    post({ type: 'failure', error });
  }
});
