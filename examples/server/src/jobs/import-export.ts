import { sep } from 'node:path';
import type { ImportProgress, ImportResult } from '@spoti/sync';
import {
  type ImportJob,
  type ImportJobRepository,
  type ImportSummary,
  type SkippedRow,
  createImportJobRepository,
} from '../storage/import-jobs.js';
import { removeUpload, uploadFolder } from '../services/upload.js';
import { type JobDeps, spotifyUser, syncFor } from './deps.js';
import type { ImportJobProgress } from './import-progress.js';

const MAX_LISTED_SKIPS = 50;
/** Skipped files or rows a failure's message names. */
const MAX_NAMED_SKIPS = 3;
const SAVE_EVERY_MS = 500;

/** The progress of a job that no longer exists. */
const GONE: ImportJobProgress = {
  status: 'failed',
  percent: 0,
  rows: 0,
  inserted: 0,
  duplicates: 0,
  podcasts: 0,
};

/**
 * One run of an import job: its progress as it advances (published live to the hub, saved to the
 * database at most every {@link SAVE_EVERY_MS}) and the skipped rows it lists.
 */
class ImportJobRun {
  progress: ImportJobProgress;
  podcasts: number;
  skipped = 0;
  readonly skippedRows: SkippedRow[] = [];
  /** The summary recorded when the job reported done. */
  summary: ImportSummary | null = null;
  private lastSave = 0;

  constructor(
    private readonly deps: JobDeps,
    private readonly jobs: ImportJobRepository,
    readonly job: ImportJob,
  ) {
    this.progress = { ...job.progress, status: 'running' };
    this.podcasts = job.progress.podcasts;
  }

  async publish(force: boolean): Promise<void> {
    this.deps.importProgress.publish(this.job.id, this.progress);
    const now = this.deps.clock.now();
    if (force || now - this.lastSave >= SAVE_EVERY_MS) {
      this.lastSave = now;
      await this.jobs.update(this.job.id, { progress: this.progress, now });
    }
  }

  /**
   * Prepares the all-time statistics the summary links to, so the first view after the import
   * is a cache hit (a view that comes meanwhile waits for the same computation). A failure only
   * costs that view its cache hit.
   */
  warm(): Promise<void> {
    const { deps, job } = this;
    return Promise.resolve()
      .then(() => deps.onImportDone(job.userId))
      .catch((err: unknown) =>
        deps.logger.warn({ jobId: job.id, err }, 'warming the dashboard failed'),
      );
  }

  /** Progress of `@spoti/sync`'s import, added to what earlier runs of the job did. */
  onProgress(p: ImportProgress): void {
    const share =
      p.bytesTotal > 0 ? p.bytes / p.bytesTotal : p.filesTotal > 0 ? p.files / p.filesTotal : 0;
    const before = this.job.progress;
    this.progress = {
      ...this.progress,
      percent: Math.min(99, Math.floor(share * 100)),
      rows: before.rows + p.rows,
      inserted: before.inserted + p.inserted,
      duplicates: before.duplicates + p.duplicates,
      podcasts: this.podcasts,
    };
    void this.publish(false).catch(() => undefined);
  }

  onIssue(issue: { file: string | null; row: number | null; message: string }): void {
    this.skipped += 1;
    if (this.skippedRows.length < MAX_LISTED_SKIPS) {
      this.skippedRows.push({ file: issue.file ?? '', row: issue.row ?? 0, reason: issue.message });
    }
  }

  /**
   * What a failure says to the listener: the upload's own names instead of the server's paths,
   * and the first files or rows that were skipped, with why (a zip bomb, a huge entry, a file
   * that is not JSON), since those are usually what left the import with nothing to store.
   */
  describeFailure(error: string): string {
    const { source, files } = this.job;
    const folder = uploadFolder(source);
    const named = (text: string) =>
      text
        .replaceAll(source, files.join(', '))
        .replaceAll(`${folder}${sep}`, '')
        .replaceAll(folder, 'the upload');
    const skipped = this.skippedRows.slice(0, MAX_NAMED_SKIPS).map((s) => s.reason); // each names its file (and row)
    const more = this.skipped > skipped.length ? ` and ${this.skipped - skipped.length} more` : '';
    return named(skipped.length === 0 ? error : `${error}. Skipped: ${skipped.join('; ')}${more}`);
  }

  /**
   * Saves the progress with a final status (and the error), and publishes it. A failed import is
   * over for good (it is not resumed), so its upload is removed once the failure is saved; an
   * interrupted one (`running`) keeps it to resume from its checkpoint.
   */
  async end(status: 'running' | 'failed', error?: string): Promise<ImportJobProgress> {
    this.progress = { ...this.progress, status, podcasts: this.podcasts };
    const change = error === undefined ? {} : { error: this.describeFailure(error) };
    await this.jobs.update(this.job.id, {
      progress: this.progress,
      ...change,
      now: this.deps.clock.now(),
    });
    if (status === 'failed') {
      this.deps.importProgress.publish(this.job.id, this.progress);
      await removeUploadOf(this.deps, this.job);
    }
    return this.progress;
  }

  /**
   * Records the finished import (progress at 100 %, the summary) and removes the upload; the
   * tracks are resolved after it ({@link afterDone}).
   */
  async done(result: ImportResult): Promise<ImportJobProgress> {
    const cp = result.checkpoint;
    this.progress = {
      status: 'done',
      percent: 100,
      rows: cp.rows,
      inserted: cp.inserted,
      duplicates: cp.duplicates,
      podcasts: this.podcasts,
    };
    this.summary = {
      files: this.job.files.length,
      rows: cp.rows,
      inserted: cp.inserted,
      duplicates: cp.duplicates,
      podcasts: this.podcasts,
      skipped: this.skipped,
      skippedRows: this.skippedRows,
      tracksResolved: result.tracksResolved,
      tracksPending: result.tracksPending,
    };
    const { deps, job } = this;
    await this.jobs.update(job.id, {
      progress: this.progress,
      result: this.summary,
      now: deps.clock.now(),
    });
    deps.importProgress.publish(job.id, this.progress);
    // The upload is no longer needed once every row is in the catalog.
    await removeUploadOf(deps, job);
    return this.progress;
  }
}

/** Removes a finished or failed job's upload; a failure to remove it is logged, not thrown. */
async function removeUploadOf(deps: JobDeps, job: ImportJob): Promise<void> {
  await removeUpload(job.source).catch((err: unknown) =>
    deps.logger.warn({ jobId: job.id, err }, 'the upload of the import could not be removed'),
  );
}

/**
 * The work after "done": the tracks the catalog did not know are resolved through Spotify; when
 * some were, the statistics are prepared again with them and the summary's track figures are
 * updated. Failures are logged: the import itself is complete.
 */
async function afterDone(deps: JobDeps, jobs: ImportJobRepository, run: ImportJobRun) {
  const { job } = run;
  if (run.summary === null || run.summary.tracksPending === 0 || deps.signal.aborted) return;
  const user = spotifyUser(deps, job.userId);
  try {
    const resolved = await syncFor(deps).resolveImportedTracks(user, { signal: deps.signal });
    await jobs.update(job.id, {
      progress: run.progress,
      result: {
        ...run.summary,
        tracksResolved: run.summary.tracksResolved + resolved.resolved,
        tracksPending: resolved.pending,
      },
      now: deps.clock.now(),
    });
    if (resolved.resolved > 0) {
      await deps.onPlaysChanged(job.userId);
      await run.warm();
    }
  } catch (err) {
    deps.logger.warn({ jobId: job.id, err }, 'resolving the imported tracks failed');
  } finally {
    await user.client.close();
  }
}

/** Runs `@spoti/sync`'s resumable import of the job's upload; the job id names the checkpoint. */
async function runSyncImport(deps: JobDeps, run: ImportJobRun): Promise<ImportResult> {
  const user = spotifyUser(deps, run.job.userId);
  try {
    const result = await syncFor(deps).importExport(user, {
      source: run.job.source,
      sourceId: `server-import:${run.job.id}`,
      strict: false,
      // Resolved after the job reports done (see afterDone): the plays do not wait for Spotify.
      resolveTracks: false,
      signal: deps.signal,
      onProgress: (p) => run.onProgress(p),
      onIssue: (issue) => run.onIssue(issue),
    });
    run.podcasts += result.skippedNonMusic;
    // Awaited, so the statistics prepared next (before "done") are not dropped by a late move.
    // A failure there costs the first view its cache hit, not the import.
    if (result.inserted > 0) {
      await Promise.resolve()
        .then(() => deps.onPlaysChanged(run.job.userId))
        .catch((err: unknown) =>
          deps.logger.warn({ jobId: run.job.id, err }, 'caches not dropped'),
        );
    }
    return result;
  } finally {
    await user.client.close();
  }
}

/**
 * Imports an uploaded data export through `@spoti/sync`'s resumable import. The job id names the
 * checkpoint, so a job that was running when the process stopped resumes where its last batch
 * committed. Progress goes to the database (for the no-JS page) and to the live hub (for SSE).
 */
export async function importExportJob(
  deps: JobDeps,
  input: { readonly jobId: string },
): Promise<ImportJobProgress> {
  const jobs = createImportJobRepository(deps.database.db);
  const job = await jobs.get(input.jobId);
  if (job === null) return GONE;
  if (job.status === 'done' || job.status === 'failed') {
    // Over already: an upload left behind (the process stopped before removing it) goes now.
    await removeUploadOf(deps, job);
    return job.progress;
  }
  const run = new ImportJobRun(deps, jobs, job);
  await run.publish(true);
  try {
    const result = await runSyncImport(deps, run);
    // Stopped by shutdown: the job stays "running" and the next start resumes it.
    if (deps.signal.aborted) return await run.end('running');
    if (result.status === 'failed' && !result.checkpoint.done) {
      return await run.end('failed', result.run.errors.join('; ') || 'The import failed');
    }
    // Before "done", after the store's fold (the statistics' index and the export reader's buffers
    // would otherwise add up): the first view of the dashboard after it is then a cache hit.
    await run.warm();
    const progress = await run.done(result);
    await afterDone(deps, jobs, run).catch((err: unknown) =>
      deps.logger.warn({ jobId: job.id, err }, 'the work after the import failed'),
    );
    return progress;
  } catch (error) {
    // Shutdown: the job stays "running" and the next start resumes it from its checkpoint.
    if (deps.signal.aborted) return await run.end('running');
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ jobId: job.id, err: error }, 'import failed');
    return await run.end('failed', message);
  }
}
