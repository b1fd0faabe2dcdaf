import type { ExportProgress } from '@spoti/analytics';
import { int } from './format.js';

/**
 * A one-line progress bar redrawn in place on a terminal (carriage return, no newline until
 * `done`). Does nothing when the stream is not a TTY, so pipes and logs stay clean.
 */
export class ProgressBar {
  #last = '';
  #drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly enabled: boolean,
    private readonly width = 30,
  ) {}

  update(p: ExportProgress): void {
    if (!this.enabled) return;
    const share = p.bytesTotal > 0 ? Math.min(1, p.bytes / p.bytesTotal) : 0;
    const filled = Math.round(share * this.width);
    const text = `\rImporting [${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${String(Math.floor(share * 100)).padStart(3)} %  ${p.files}/${p.filesTotal} files  ${int(p.rows)} rows`;
    if (text === this.#last) return;
    this.#last = text;
    this.#drawn = true;
    this.stream.write(text);
  }

  done(): void {
    if (this.enabled && this.#drawn) this.stream.write('\n');
    this.#drawn = false;
  }
}
