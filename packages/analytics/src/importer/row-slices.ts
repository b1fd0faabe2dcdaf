import { isUtf8 } from 'node:buffer';
import { type FileProblem, parseFile, type Read } from './parse-file.js';

/** A history file's bytes in chunks (as `ExportListing.readChunks` gives them), or why not. */
export type ChunkedRead = { chunks: Buffer[] } | { error: unknown };

/**
 * Bytes of JSON text parsed at once: a few hundred rows of an extended history, and under the
 * size from which the memory allocator maps (and, once released, keeps) buffers of their own.
 */
const SLICE_BYTES = 96 * 1024;

/** The rows of one history file, parsed a slice at a time as they are read. */
export interface RowSlices {
  /** Rows in the file. */
  readonly count: number;
  /** The rows in order, in slices of consecutive rows; `base` is the row number of `rows[0]`. */
  slices(): Generator<
    { readonly base: number; readonly rows: readonly unknown[] },
    void,
    undefined
  >;
}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The bytes `[start, end)` of a file held in chunks (`starts[i]`: offset of `chunks[i]`). */
class ChunkedBytes {
  readonly starts: number[] = [];
  readonly length: number;

  constructor(readonly chunks: readonly Buffer[]) {
    let offset = 0;
    for (const chunk of chunks) {
      this.starts.push(offset);
      offset += chunk.length;
    }
    this.length = offset;
  }

  /** The bytes `[start, end)`: a view when they sit in one chunk, else a copy. */
  range(start: number, end: number): Buffer {
    let i = 0;
    while (i + 1 < this.chunks.length && (this.starts[i + 1] as number) <= start) i++;
    const first = this.chunks[i] as Buffer;
    const from = start - (this.starts[i] as number);
    if (end - (this.starts[i] as number) <= first.length) {
      return first.subarray(from, end - (this.starts[i] as number));
    }
    const parts = [first.subarray(from)];
    for (let j = i + 1; j < this.chunks.length && (this.starts[j] as number) < end; j++) {
      parts.push((this.chunks[j] as Buffer).subarray(0, end - (this.starts[j] as number)));
    }
    return Buffer.concat(parts);
  }
}

/** Where the scan of a file's bytes stands between chunks. */
interface ScanState {
  started: boolean;
  ended: boolean;
  depth: number;
  inString: boolean;
  escaped: boolean;
  /** Cut points: `[start, end)` byte ranges of the slices, flattened. */
  readonly ranges: number[];
}

/**
 * Scans one chunk at `offset`; returns false when the bytes cannot be a JSON array of rows
 * followed by whitespace only.
 */
function scanChunk(chunk: Buffer, offset: number, state: ScanState, sliceBytes: number): boolean {
  const { ranges } = state;
  let i = 0;
  if (!state.started) {
    while (i < chunk.length && isSpace(chunk[i])) i++;
    if (i === chunk.length) return true;
    if (chunk[i] !== 0x5b) return false;
    state.started = true;
    ranges.push(offset + i + 1);
    i++;
  }
  if (state.ended) {
    for (; i < chunk.length; i++) if (!isSpace(chunk[i])) return false;
    return true;
  }
  let { depth, inString, escaped } = state;
  for (; i < chunk.length; i++) {
    const c = chunk[i];
    if (escaped) escaped = false;
    else if (inString) {
      if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) {
        state.ended = true;
        ranges.push(offset + i);
        for (i += 1; i < chunk.length; i++) if (!isSpace(chunk[i])) return false;
        return true;
      }
      depth--;
    } else if (c === 0x2c && depth === 0 && offset + i - (ranges.at(-1) as number) >= sliceBytes) {
      ranges.push(offset + i, offset + i + 1);
    }
  }
  Object.assign(state, { depth, inString, escaped });
  return true;
}

/**
 * Where the top-level array of `bytes` can be cut into slices of whole rows: `[start, end)` byte
 * ranges, each at least `sliceBytes` long but the last, cut at commas between rows. Null when the
 * bytes are not an array closed once and followed by whitespace only.
 */
function sliceRanges(bytes: ChunkedBytes, sliceBytes: number): number[] | null {
  const state: ScanState = {
    started: false,
    ended: false,
    depth: 0,
    inString: false,
    escaped: false,
    ranges: [],
  };
  for (let k = 0; k < bytes.chunks.length; k++) {
    const chunk = bytes.chunks[k] as Buffer;
    if (!scanChunk(chunk, bytes.starts[k] as number, state, sliceBytes)) return null;
  }
  return state.ended ? state.ranges : null;
}

/** The offset of the first byte at or after `from` that is not whitespace, or -1. */
function firstNonSpace(bytes: ChunkedBytes, from: number): number {
  for (let k = 0; k < bytes.chunks.length; k++) {
    const chunk = bytes.chunks[k] as Buffer;
    const start = bytes.starts[k] as number;
    for (let i = Math.max(0, from - start); i < chunk.length; i++) {
      if (!isSpace(chunk[i])) return start + i;
    }
  }
  return -1;
}

/** The offset of the last byte that is not whitespace, or -1. */
function lastNonSpace(bytes: ChunkedBytes): number {
  for (let k = bytes.chunks.length - 1; k >= 0; k--) {
    const chunk = bytes.chunks[k] as Buffer;
    for (let i = chunk.length - 1; i >= 0; i--) {
      if (!isSpace(chunk[i])) return (bytes.starts[k] as number) + i;
    }
  }
  return -1;
}

/** The byte next to `at` in `chunk` in direction `step`, past whitespace (undefined at its end). */
function neighbour(chunk: Buffer, at: number, step: 1 | -1): number | undefined {
  let i = at + step;
  while (isSpace(chunk[i])) i += step;
  return chunk[i];
}

/**
 * The offset of the first comma at or after `from` (and before `end`) that sits between a `}` and
 * a `{` (whitespace aside) in one chunk: most likely the comma between two rows, found without
 * reading every byte. It may be inside a string; the caller's parse of the slices tells.
 */
function nextCut(bytes: ChunkedBytes, from: number, end: number): number {
  for (let k = 0; k < bytes.chunks.length; k++) {
    const chunk = bytes.chunks[k] as Buffer;
    const start = bytes.starts[k] as number;
    if (start + chunk.length <= from) continue;
    for (let i = chunk.indexOf(0x2c, Math.max(0, from - start)); i >= 0; ) {
      if (start + i >= end) return -1;
      if (neighbour(chunk, i, -1) === 0x7d && neighbour(chunk, i, 1) === 0x7b) return start + i;
      i = chunk.indexOf(0x2c, i + 1);
    }
  }
  return -1;
}

/**
 * Slice ranges (as {@link sliceRanges} gives them) found by looking only where a cut may fall:
 * the array's brackets at both ends, and a comma between `}` and `{` past every `sliceBytes`.
 * A cut inside a string, or in a row's nested values, leaves a slice that does not parse: the
 * caller then scans every byte instead. Null when the bytes are not bracketed as an array.
 */
function quickRanges(bytes: ChunkedBytes, sliceBytes: number): number[] | null {
  const first = firstNonSpace(bytes, 0);
  const last = lastNonSpace(bytes);
  if (first < 0 || last <= first || bytes.range(first, first + 1)[0] !== 0x5b) return null;
  if (bytes.range(last, last + 1)[0] !== 0x5d) return null;
  const ranges = [first + 1];
  for (let from = first + 1 + sliceBytes; from < last; ) {
    const cut = nextCut(bytes, from, last);
    if (cut < 0) break;
    ranges.push(cut, cut + 1);
    from = cut + 1 + sliceBytes;
  }
  ranges.push(last);
  return ranges;
}

/** The rows of one slice (throws what `JSON.parse` throws). */
const parseSlice = (slice: Buffer): unknown[] => JSON.parse(`[${slice.toString('utf8')}]`);

/**
 * The rows of `bytes` cut into slices, or null when any slice is not valid JSON. Every slice is
 * parsed once here to check it (and count its rows), so a file is usable as a whole or not at all,
 * as with one `JSON.parse`; the rows themselves are parsed again when read.
 */
function checkedSlices(
  bytes: ChunkedBytes,
  sliceBytes: number,
): { slices: RowSlices; utf8: boolean } | null {
  const quick = quickRanges(bytes, sliceBytes);
  const checked = quick === null ? null : checkedRanges(bytes, quick);
  if (checked !== null) return checked;
  // A cut fell inside a string, or the file is not valid: scan every byte to know which.
  const ranges = sliceRanges(bytes, sliceBytes);
  return ranges === null ? null : checkedRanges(bytes, ranges);
}

/** The slices at `ranges`, each parsed once to check it, or null when one is not valid JSON. */
function checkedRanges(
  bytes: ChunkedBytes,
  ranges: readonly number[],
): { slices: RowSlices; utf8: boolean } | null {
  let count = 0;
  let utf8 = true;
  for (let k = 0; k < ranges.length; k += 2) {
    const slice = bytes.range(ranges[k] as number, ranges[k + 1] as number);
    // Slices are cut at commas: each decodes, and is UTF-8 or not, as it would in the whole text.
    if (utf8 && !isUtf8(slice)) utf8 = false;
    let rows: unknown[];
    try {
      rows = parseSlice(slice);
    } catch {
      return null;
    }
    // Only the whole array may be empty: an empty slice among others hides a stray comma.
    if (rows.length === 0 && ranges.length > 2) return null;
    count += rows.length;
  }
  const slices: RowSlices = {
    count,
    *slices() {
      let base = 0;
      for (let k = 0; k < ranges.length; k += 2) {
        const rows = parseSlice(bytes.range(ranges[k] as number, ranges[k + 1] as number));
        yield { base, rows };
        base += rows.length;
      }
    },
  };
  return { slices, utf8 };
}

/** The chunks without a leading byte-order mark (which `JSON.parse` refuses). */
function withoutBom(chunks: readonly Buffer[]): Buffer[] {
  const first = chunks[0];
  if (first === undefined) return [];
  if (first.length < 3) {
    // A mark split across chunks (or a file too short to hold one): look at the bytes joined.
    return chunks.length > 1 ? withoutBom([Buffer.concat(chunks)]) : [first];
  }
  const bom = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
  return bom ? [first.subarray(3), ...chunks.slice(1)] : [...chunks];
}

/**
 * The rows of one history file, or null when it is unusable (reported through `fileProblem`),
 * exactly as {@link parseFile} reads them but without the whole file's text and rows in memory at
 * once, nor a buffer the size of the file: only its chunks and one slice of a few hundred rows. A
 * file that cannot be cut into valid slices (not an array, broken JSON) is read whole by
 * {@link parseFile}, for the same reports. `sliceBytes`: the least bytes of JSON text parsed at
 * once (default 96 KiB).
 */
export function parseFileInSlices(
  read: ChunkedRead,
  replaced: () => void,
  fileProblem: FileProblem,
  sliceBytes = SLICE_BYTES,
): RowSlices | null {
  if ('error' in read) return wholeFile(read, replaced, fileProblem);
  const chunks = withoutBom(read.chunks);
  const checked = checkedSlices(new ChunkedBytes(chunks), sliceBytes);
  if (checked === null)
    return wholeFile({ bytes: Buffer.concat(read.chunks) }, replaced, fileProblem);
  if (!checked.utf8) replaced();
  return checked.slices;
}

/** {@link parseFile}'s reading of a file as slices (one slice: all its rows). */
function wholeFile(read: Read, replaced: () => void, fileProblem: FileProblem): RowSlices | null {
  const rows = parseFile(read, replaced, fileProblem);
  if (rows === null) return null;
  return {
    count: rows.length,
    *slices() {
      yield { base: 0, rows };
    },
  };
}

/**
 * Gives a history file's memory back as soon as its rows are read, instead of when the garbage
 * collector next sweeps the old generation (the chunks live through the awaits of a whole file,
 * so they are usually promoted there): each chunk that is a whole `ArrayBuffer` of its own moves
 * its memory to a new, unreferenced `ArrayBuffer`, which the next young-generation collection
 * frees. Chunks that share their memory with others are left to the garbage collector. `read`
 * must not be used afterwards.
 */
export function releaseChunks(read: ChunkedRead): void {
  if (!('chunks' in read)) return;
  for (const chunk of read.chunks) {
    const memory = chunk.buffer;
    const whole = chunk.byteOffset === 0 && chunk.byteLength === memory.byteLength;
    if (whole && chunk.byteLength >= 4096 && memory instanceof ArrayBuffer) {
      structuredClone(memory, { transfer: [memory] });
    }
  }
}
