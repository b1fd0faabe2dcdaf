import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PlayIndex } from '../stats/play-index.js';
import type { ExportFile } from './export-source.js';
import { messageOf, type Read } from './parse-file.js';
import {
  FLOW,
  type OtherTotals,
  type ParseRequest,
  ROW_ISSUE_CODES,
  type RowChunk,
  type WorkerMessage,
} from './play-columns.js';
import type { RowIssue } from './parse-rows.js';
import { FileTally, type OpenedExport } from './read-spotify-export.js';

/** Where the plays, podcasts and audiobooks of an import go. */
export interface ImportTarget {
  readonly plays: PlayIndex;
  readonly podcasts: OtherTotals;
  readonly audiobooks: OtherTotals;
}

/** The worker's code: beside this module (sources under `src/importer`, or the bundles in `dist`). */
export interface WorkerEntry {
  readonly file: string;
  /** TypeScript sources (tests, benchmarks): compiled in the worker by tsx. */
  readonly source: boolean;
}

/** The worker's entry file, or null when there is none (then files are read on this thread). */
export function workerEntry(): WorkerEntry | null {
  const here = import.meta.url;
  const ext = here.endsWith('.ts') ? '.ts' : here.endsWith('.cjs') ? '.cjs' : '.js';
  const file = fileURLToPath(new URL(`./parse-worker${ext}`, here));
  if (!existsSync(file)) return null;
  if (ext !== '.ts') return { file, source: false };
  try {
    createRequire(file).resolve('tsx/cjs/api');
    return { file, source: true };
  } catch {
    return null;
  }
}

function startWorker(entry: WorkerEntry, flow: SharedArrayBuffer): Worker {
  // A smaller young generation than the default: the worker's garbage (rows of one file) is
  // collected sooner, keeping the peak memory of the two threads near that of one.
  const options = { workerData: { flow }, resourceLimits: { maxYoungGenerationSizeMb: 8 } };
  if (!entry.source) return new Worker(entry.file, options);
  const api = createRequire(entry.file).resolve('tsx/cjs/api');
  const file = JSON.stringify(entry.file);
  // Works whether the eval'd code is taken as a script or as a module (`--input-type=module`).
  return new Worker(
    `process.getBuiltinModule('node:module').createRequire(${file})(${JSON.stringify(api)}).require(${file}, ${file});`,
    { ...options, eval: true },
  );
}

/** The worker's messages in order, awaited one at a time. */
class Inbox {
  readonly #queue: WorkerMessage[] = [];
  #waiting: { resolve: (m: WorkerMessage) => void; reject: (e: unknown) => void } | null = null;
  #failure: { error: unknown } | null = null;

  constructor(worker: Worker) {
    worker.on('message', (message: WorkerMessage) => {
      const waiting = this.#waiting;
      this.#waiting = null;
      if (waiting !== null) waiting.resolve(message);
      else this.#queue.push(message);
    });
    const fail = (error: unknown) => {
      this.#failure ??= { error };
      const waiting = this.#waiting;
      this.#waiting = null;
      waiting?.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The export reader stopped (exit code ${code})`)));
  }

  async next(): Promise<WorkerMessage> {
    const message = this.#queue.shift();
    const received =
      message ??
      (this.#failure !== null
        ? Promise.reject(this.#failure.error)
        : new Promise<WorkerMessage>((resolve, reject) => {
            this.#waiting = { resolve, reject };
          }));
    const m = await received;
    if (m.type === 'failure') throw m.error;
    return m;
  }
}

/** A transferable copy of the bytes (the bytes themselves when they own their whole buffer). */
function transferable(bytes: Buffer): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  return new Uint8Array(bytes);
}

/** Reads each file's bytes and posts them to the worker, one file ahead of the one being added. */
class Dispatcher {
  /** Per file: null when too large, else its bytes sent to the worker (or why they could not be read). */
  readonly #dispatched = new Map<number, Promise<Read | null> | null>();

  constructor(
    private readonly opened: OpenedExport,
    private readonly worker: Worker,
  ) {}

  dispatch(index: number): void {
    const { opened, worker } = this;
    const file = opened.files[index];
    if (file === undefined || this.#dispatched.has(index)) return;
    if (!opened.fits(file)) {
      this.#dispatched.set(index, null);
      return;
    }
    const sent = opened.read(file).then((read) => {
      if ('error' in read) return read;
      const bytes = transferable(read.bytes);
      const request: ParseRequest = {
        seq: index,
        path: file.path,
        size: file.size,
        bytes,
        firstRow: opened.firstRowOf(index),
        userId: opened.userId,
        range: { ...opened.range },
      };
      worker.postMessage(request, [bytes.buffer as ArrayBuffer]);
      return null;
    });
    this.#dispatched.set(index, sent);
  }

  /** The file's dispatch, forgotten here (undefined when it was never dispatched). */
  take(index: number): Promise<Read | null> | null | undefined {
    const sent = this.#dispatched.get(index);
    this.#dispatched.delete(index);
    return sent;
  }
}

/** Adds the worker's chunks of plays to the import target, in row order with their problems. */
class ChunkAdder {
  #tracks = new Int32Array(1024);
  #trackCount = 0;

  constructor(
    private readonly opened: OpenedExport,
    private readonly target: ImportTarget,
  ) {}

  add(chunk: RowChunk, tally: FileTally): void {
    const { opened, target } = this;
    const tracks = this.#trackIndexes(chunk.tracks);
    const plays = chunk.plays;
    // Problems and plays in row order, as the rows were read (a strict-mode problem throws).
    let j = 0;
    const issues = chunk.issues;
    for (let k = 0; k < issues.count; k++) {
      const row = issues.row[k] as number;
      let end = j;
      while (end < plays.count && (plays.row[end] as number) < row) end++;
      if (end > j) target.plays.addColumns(plays, j, end, tracks, opened.userId);
      j = end;
      tally.rowIssue({
        row,
        code: ROW_ISSUE_CODES[issues.code[k] as number] as RowIssue['code'],
        message: issues.messages[issues.message[k] as number] as string,
      });
    }
    if (j < plays.count) target.plays.addColumns(plays, j, plays.count, tracks, opened.userId);
    tally.music += plays.count;
    tally.other += chunk.podcasts.count + chunk.audiobooks.count;
    target.podcasts.count += chunk.podcasts.count;
    target.podcasts.msPlayed += chunk.podcasts.msPlayed;
    target.audiobooks.count += chunk.audiobooks.count;
    target.audiobooks.msPlayed += chunk.audiobooks.msPlayed;
    opened.progress.rows += chunk.rowEnd - chunk.rowStart;
  }

  /** Appends the chunk's tracks to the index, returning the index of every track sent so far. */
  #trackIndexes(t: RowChunk['tracks']): Int32Array {
    if (this.#trackCount + t.id.length > this.#tracks.length) {
      const grown = new Int32Array(
        Math.max(this.#tracks.length * 2, this.#trackCount + t.id.length),
      );
      grown.set(this.#tracks);
      this.#tracks = grown;
    }
    const tracks = this.#tracks;
    for (let k = 0; k < t.id.length; k++) {
      tracks[this.#trackCount++] = this.target.plays.trackFor({
        trackId: t.id[k] as string | null,
        trackName: t.name[k] as string,
        artistIds: [],
        artistName: t.artist[k] as string,
        albumId: null,
        albumName: t.album[k] as string | null,
      });
    }
    return tracks;
  }
}

/** Receives one parsed file from the worker: its start, then its chunks up to the last. */
async function receiveFile(
  inbox: Inbox,
  flow: Int32Array,
  opened: OpenedExport,
  index: number,
  tally: FileTally,
  adder: ChunkAdder,
): Promise<void> {
  const start = await inbox.next();
  if (start.type !== 'start' || start.seq !== index)
    throw new Error('The export reader answered out of order');
  if (start.replaced) tally.replaced();
  if (start.problem !== null) {
    tally.fileProblem('EXPORT_MALFORMED_FILE', start.problem.reason, start.problem.cause);
    return;
  }
  tally.rows = start.rows;
  for (;;) {
    const chunk = await inbox.next();
    if (chunk.type !== 'chunk' || chunk.seq !== index)
      throw new Error('The export reader answered out of order');
    adder.add(chunk, tally);
    Atomics.add(flow, FLOW.consumed, 1);
    Atomics.notify(flow, FLOW.consumed);
    if (chunk.rowEnd - chunk.rowStart >= 10_000) {
      opened.checkAbort();
      opened.report();
    }
    if (chunk.last) break;
  }
}

/**
 * Reads the files of an opened export as `readExport` does, with the same problems, progress,
 * checkpoints and order, but parsed in a worker thread that sends columns of plays: this thread
 * only adds them to the index while the worker parses the next rows and files.
 */
export async function readExportInWorker(
  opened: OpenedExport,
  entry: WorkerEntry,
  target: ImportTarget,
): Promise<void> {
  const flowBuffer = new SharedArrayBuffer(8);
  const flow = new Int32Array(flowBuffer);
  const worker = startWorker(entry, flowBuffer);
  const inbox = new Inbox(worker);
  const dispatcher = new Dispatcher(opened, worker);
  const adder = new ChunkAdder(opened, target);
  const { files } = opened;
  try {
    for (let index = 0; index < files.length; index++) {
      const file = files[index] as ExportFile;
      opened.checkAbort();
      if (index < opened.startIndex) {
        opened.skipFile(file);
        continue;
      }
      dispatcher.dispatch(index);
      const tally = new FileTally(opened, file);
      const sent = dispatcher.take(index);
      if (sent === null || sent === undefined) tally.tooLarge();
      else {
        const failed = await sent;
        // The next file is read and sent while the worker parses this one.
        dispatcher.dispatch(index + 1);
        if (failed !== null && 'error' in failed) {
          tally.fileProblem(
            'EXPORT_BAD_ARCHIVE',
            `cannot be read: ${messageOf(failed.error)}`,
            failed.error,
          );
        } else {
          await receiveFile(inbox, flow, opened, index, tally, adder);
        }
      }
      tally.done();
    }
  } finally {
    Atomics.store(flow, FLOW.cancelled, 1);
    Atomics.notify(flow, FLOW.consumed);
    await worker.terminate();
  }
}
