import { once } from 'node:events';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { ExportRow } from './export-rows.js';

const EXTENDED_DIR = 'Spotify Extended Streaming History';
const ACCOUNT_DIR = 'Spotify Account Data';
const ACCOUNT_ROWS_PER_FILE = 10_000;

/** One file of the zip. */
export interface DataExportFile {
  readonly name: string;
  readonly rows: number;
  /** Uncompressed size. */
  readonly bytes: number;
}

/** The zip being written: whole files are added, at most three of them in memory at a time. */
export class ExportZip {
  readonly files: DataExportFile[] = [];
  /** Uncompressed bytes of every file added. */
  jsonBytes = 0;
  readonly #zip = new ZipFile();
  /** Files handed to the zip but not yet consumed. */
  readonly #pending: Promise<unknown>[] = [];

  constructor(private readonly mtime: Date) {}

  get outputStream(): NodeJS.ReadableStream {
    return this.#zip.outputStream;
  }

  /** Adds one file; waits while two earlier ones are still queued. */
  async add(name: string, chunks: readonly string[], rows: number): Promise<void> {
    while (this.#pending.length >= 2) await this.#pending.shift();
    const buffer = Buffer.from(chunks.join(''), 'utf8');
    const size = buffer.length;
    // The zip keeps every entry's stream until it ends: hand the bytes over once, keep no reference.
    let data: Buffer | null = buffer;
    const stream = new Readable({
      read() {
        this.push(data);
        data = null;
        this.push(null);
      },
    });
    this.#pending.push(once(stream, 'end'));
    this.#zip.addReadStream(stream, name, { mtime: this.mtime, size });
    this.files.push({ name, rows, bytes: size });
    this.jsonBytes += size;
  }

  /** Waits for the queued files and ends the zip. */
  async end(): Promise<void> {
    await Promise.all(this.#pending);
    this.#zip.end();
  }
}

/**
 * The streaming-history files, one file's rows in memory at a time. A file closes when the next
 * row would take it over `targetBytes`; as in real exports, the last row of a file comes again at
 * the start of the next.
 */
export class HistoryFiles {
  #index = 0;
  #chunks: string[] = [];
  #rows = 0;
  #bytes = 0;
  #firstYear = 0;
  #lastYear = 0;
  #lastText: string | undefined;
  #lastTextYear = 0;

  constructor(
    private readonly zip: ExportZip,
    private readonly naming: 'extended' | 'endsong',
    private readonly targetBytes: number,
    private readonly onFile: () => void,
  ) {
    this.#start();
  }

  /** Adds a row (`text`, of `year`); true when a new file began by repeating the row before it. */
  async add(text: string, year: number): Promise<boolean> {
    let repeated = false;
    if (this.#rows > 0 && this.#bytes + text.length > this.targetBytes) {
      await this.#close();
      this.#start();
      if (this.#lastText !== undefined) {
        this.#push(this.#lastText, this.#lastTextYear);
        repeated = true;
      }
    }
    this.#push(text, year);
    this.#lastText = text;
    this.#lastTextYear = year;
    return repeated;
  }

  /** Closes the last file (an export with no rows still has one, empty, of the end's year). */
  async finish(endTimeMs: number): Promise<void> {
    if (this.#rows === 0 && this.#index > 0) return;
    if (this.#rows === 0) this.#firstYear = this.#lastYear = new Date(endTimeMs).getUTCFullYear();
    await this.#close();
  }

  #start(): void {
    this.#chunks = ['[\n'];
    this.#rows = 0;
    this.#bytes = 2;
    this.#firstYear = 0;
  }

  #push(text: string, year: number): void {
    if (this.#rows > 0) this.#chunks.push(',\n');
    this.#chunks.push(text);
    this.#rows++;
    this.#bytes += text.length + 2;
    if (this.#firstYear === 0) this.#firstYear = year;
    this.#lastYear = year;
  }

  async #close(): Promise<void> {
    this.#chunks.push('\n]\n');
    const years =
      this.#firstYear === this.#lastYear
        ? `${this.#firstYear}`
        : `${this.#firstYear}-${this.#lastYear}`;
    const name =
      this.naming === 'extended'
        ? `${EXTENDED_DIR}/Streaming_History_Audio_${years}_${this.#index}.json`
        : `MyData/endsong_${this.#index}.json`;
    await this.zip.add(name, this.#chunks, this.#rows);
    this.#index++;
    this.onFile();
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Account-data time: "YYYY-MM-DD HH:MM" in UTC. */
export function accountEndTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * The one-year "Account data" files (`StreamingHistory_music_<n>.json`,
 * `StreamingHistory_podcast_<n>.json`), written in files of 10,000 rows while the history streams.
 */
export class AccountFiles {
  #music: string[] = [];
  #podcasts: string[] = [];
  #musicIndex = 0;
  #podcastIndex = 0;

  constructor(
    private readonly zip: ExportZip,
    private readonly fromMs: number,
    private readonly enabled: boolean,
  ) {}

  /** Adds a streaming-history row, if it belongs in the account data. */
  async add(r: ExportRow): Promise<void> {
    if (!this.enabled || r.duplicate || r.endedAtMs < this.fromMs || r.kind === 'audiobook') return;
    const f = r.row;
    const endTime = accountEndTime(r.endedAtMs);
    if (r.kind === 'music') {
      this.#music.push(
        `  ${JSON.stringify({ endTime, artistName: f.master_metadata_album_artist_name, trackName: f.master_metadata_track_name, msPlayed: f.ms_played })}`,
      );
      if (this.#music.length >= ACCOUNT_ROWS_PER_FILE) await this.#flush('music');
    } else {
      this.#podcasts.push(
        `  ${JSON.stringify({ endTime, podcastName: f.episode_show_name, episodeName: f.episode_name, msPlayed: f.ms_played })}`,
      );
      if (this.#podcasts.length >= ACCOUNT_ROWS_PER_FILE) await this.#flush('podcast');
    }
  }

  /** Writes the rows still held. */
  async finish(): Promise<void> {
    if (!this.enabled) return;
    await this.#flush('music');
    await this.#flush('podcast');
  }

  async #flush(kind: 'music' | 'podcast'): Promise<void> {
    const rows = kind === 'music' ? this.#music : this.#podcasts;
    if (rows.length === 0) return;
    const index = kind === 'music' ? this.#musicIndex++ : this.#podcastIndex++;
    await this.zip.add(
      `${ACCOUNT_DIR}/StreamingHistory_${kind}_${index}.json`,
      ['[\n', rows.join(',\n'), '\n]\n'],
      rows.length,
    );
    if (kind === 'music') this.#music = [];
    else this.#podcasts = [];
  }
}

/** What the streaming history holds, counted row by row. */
export class ExportTally {
  plays = 0;
  episodes = 0;
  audiobooks = 0;
  duplicates = 0;
  resyncedPlays = 0;
  offlinePlays = 0;
  firstPlayMs = 0;
  lastPlayMs = 0;

  count(r: ExportRow): void {
    if (r.duplicate) {
      this.duplicates++;
      if (r.resynced) this.resyncedPlays++;
    } else if (r.kind === 'episode') this.episodes++;
    else if (r.kind === 'audiobook') this.audiobooks++;
    else {
      this.plays++;
      if (r.row.offline) this.offlinePlays++;
      if (this.firstPlayMs === 0) this.firstPlayMs = r.endedAtMs;
      this.lastPlayMs = r.endedAtMs;
    }
  }
}
