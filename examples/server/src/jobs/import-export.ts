import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ImportProgress } from '@spoti/sync';
import { createImportJobRepository } from '../storage/import-jobs.js';
import type { ImportSummary, SkippedRow } from '../storage/import-jobs.js';
import { type JobDeps, spotifyUser, syncFor } from './deps.js';
import type { ImportJobProgress } from './import-progress.js';

const MAX_LISTED_SKIPS = 50;
const SAVE_EVERY_MS = 500;

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
  if (job === null || job.status === 'done' || job.status === 'failed') {
    return (
      job?.progress ?? {
        status: 'failed',
        percent: 0,
        rows: 0,
        inserted: 0,
        duplicates: 0,
        podcasts: 0,
      }
    );
  }
  const skippedRows: SkippedRow[] = [];
  let skipped = 0;
  let podcasts = job.progress.podcasts;
  let progress: ImportJobProgress = { ...job.progress, status: 'running' };
  let lastSave = 0;
  const publish = async (force: boolean) => {
    deps.importProgress.publish(job.id, progress);
    const now = deps.clock.now();
    if (force || now - lastSave >= SAVE_EVERY_MS) {
      lastSave = now;
      await jobs.update(job.id, { progress, now });
    }
  };
  await publish(true);
  const sync = syncFor(deps);
  const user = spotifyUser(deps, job.userId);
  const onProgress = (p: ImportProgress) => {
    const share =
      p.bytesTotal > 0 ? p.bytes / p.bytesTotal : p.filesTotal > 0 ? p.files / p.filesTotal : 0;
    progress = {
      ...progress,
      percent: Math.min(99, Math.floor(share * 100)),
      rows: job.progress.rows + p.rows,
      inserted: job.progress.inserted + p.inserted,
      duplicates: job.progress.duplicates + p.duplicates,
      podcasts,
    };
    void publish(false).catch(() => undefined);
  };
  try {
    const result = await sync.importExport(user, {
      source: job.source,
      sourceId: `server-import:${job.id}`,
      strict: false,
      signal: deps.signal,
      onProgress,
      onIssue: (issue) => {
        skipped += 1;
        if (skippedRows.length < MAX_LISTED_SKIPS) {
          skippedRows.push({ file: issue.file ?? '', row: issue.row ?? 0, reason: issue.message });
        }
      },
    });
    podcasts += result.skippedNonMusic;
    if (result.inserted > 0) deps.onPlaysChanged(job.userId);
    if (deps.signal.aborted || (result.status === 'failed' && !result.checkpoint.done)) {
      // Stopped by shutdown (or a failure before the end): keep the job running for the restart.
      progress = { ...progress, podcasts };
      if (!deps.signal.aborted) {
        progress = { ...progress, status: 'failed' };
        await jobs.update(job.id, {
          progress,
          error: result.run.errors.join('; ') || 'The import failed',
          now: deps.clock.now(),
        });
        deps.importProgress.publish(job.id, progress);
      } else await jobs.update(job.id, { progress, now: deps.clock.now() });
      return progress;
    }
    const cp = result.checkpoint;
    progress = {
      status: 'done',
      percent: 100,
      rows: cp.rows,
      inserted: cp.inserted,
      duplicates: cp.duplicates,
      podcasts,
    };
    const summary: ImportSummary = {
      files: job.files.length,
      rows: cp.rows,
      inserted: cp.inserted,
      duplicates: cp.duplicates,
      podcasts,
      skipped,
      skippedRows,
      tracksResolved: result.tracksResolved,
      tracksPending: result.tracksPending,
    };
    // Before the job reads "done": the first view of the dashboard after it is then a cache hit.
    // A failure there only costs that view its cache hit.
    await Promise.resolve()
      .then(() => deps.onImportDone(job.userId))
      .catch((err: unknown) =>
        deps.logger.warn({ jobId: job.id, err }, 'warming the dashboard failed'),
      );
    await jobs.update(job.id, { progress, result: summary, now: deps.clock.now() });
    deps.importProgress.publish(job.id, progress);
    // The upload is no longer needed once every row is in the catalog.
    const folder =
      job.source.endsWith('.zip') || job.source.endsWith('.json')
        ? dirname(job.source)
        : job.source;
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    return progress;
  } catch (error) {
    if (deps.signal.aborted) {
      // Shutdown: the job stays "running" and the next start resumes it from its checkpoint.
      await jobs.update(job.id, { progress: { ...progress, podcasts }, now: deps.clock.now() });
      return progress;
    }
    progress = { ...progress, status: 'failed' };
    const message = error instanceof Error ? error.message : String(error);
    await jobs.update(job.id, { progress, error: message, now: deps.clock.now() });
    deps.importProgress.publish(job.id, progress);
    deps.logger.warn({ jobId: job.id, err: error }, 'import failed');
    return progress;
  } finally {
    await user.client.close();
  }
}
