import type { Kysely, Selectable } from 'kysely';
import type { ImportJobProgress } from '../jobs/import-progress.js';
import type { ImportJobsTable, ServerDatabase } from './schema.js';

/** A skipped row of an export, as the summary lists it. */
export interface SkippedRow {
  readonly file: string;
  readonly row: number;
  readonly reason: string;
}

/** The summary of a finished import. */
export interface ImportSummary {
  readonly files: number;
  readonly rows: number;
  readonly inserted: number;
  readonly duplicates: number;
  readonly podcasts: number;
  readonly skipped: number;
  /** The first skipped rows (at most 50) with file and row. */
  readonly skippedRows: readonly SkippedRow[];
  readonly tracksResolved: number;
  readonly tracksPending: number;
}

/** One uploaded export and its import. */
export interface ImportJob {
  readonly id: string;
  readonly userId: string;
  readonly status: ImportJobProgress['status'];
  readonly files: readonly string[];
  /** The zip, JSON file or folder the import reads. */
  readonly source: string;
  readonly bytes: number;
  readonly progress: ImportJobProgress;
  readonly result: ImportSummary | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const toJob = (r: Selectable<ImportJobsTable>): ImportJob => ({
  id: r.id,
  userId: r.user_id,
  status: r.status,
  files: JSON.parse(r.files) as string[],
  source: r.source,
  bytes: Number(r.bytes),
  progress: JSON.parse(r.progress) as ImportJobProgress,
  result: r.result === null ? null : (JSON.parse(r.result) as ImportSummary),
  error: r.error,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** The `spoti_server_import_jobs` table. */
export function createImportJobRepository(db: Kysely<ServerDatabase>) {
  return {
    async create(job: {
      id: string;
      userId: string;
      files: readonly string[];
      source: string;
      bytes: number;
      now: number;
    }) {
      const progress: ImportJobProgress = {
        status: 'queued',
        percent: 0,
        rows: 0,
        inserted: 0,
        duplicates: 0,
        podcasts: 0,
      };
      await db
        .insertInto('spoti_server_import_jobs')
        .values({
          id: job.id,
          user_id: job.userId,
          status: 'queued',
          files: JSON.stringify(job.files),
          source: job.source,
          bytes: job.bytes,
          progress: JSON.stringify(progress),
          result: null,
          error: null,
          created_at: job.now,
          updated_at: job.now,
        })
        .execute();
    },
    async get(id: string): Promise<ImportJob | null> {
      const row = await db
        .selectFrom('spoti_server_import_jobs')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? null : toJob(row);
    },
    async listForUser(userId: string, limit = 20): Promise<ImportJob[]> {
      const rows = await db
        .selectFrom('spoti_server_import_jobs')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toJob);
    },
    /** Jobs a restart must pick up again. */
    async listUnfinished(): Promise<ImportJob[]> {
      const rows = await db
        .selectFrom('spoti_server_import_jobs')
        .selectAll()
        .where('status', 'in', ['queued', 'running'])
        .orderBy('seq')
        .execute();
      return rows.map(toJob);
    },
    async update(
      id: string,
      change: { progress: ImportJobProgress; result?: ImportSummary; error?: string; now: number },
    ) {
      await db
        .updateTable('spoti_server_import_jobs')
        .set({
          status: change.progress.status,
          progress: JSON.stringify(change.progress),
          ...(change.result === undefined ? {} : { result: JSON.stringify(change.result) }),
          ...(change.error === undefined ? {} : { error: change.error }),
          updated_at: change.now,
        })
        .where('id', '=', id)
        .execute();
    },
  };
}

/** The repository {@link createImportJobRepository} returns. */
export type ImportJobRepository = ReturnType<typeof createImportJobRepository>;
