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

/** What {@link createImportJobRepository}'s `create` records: a job queued at `now`. */
export interface NewImportJob {
  readonly id: string;
  readonly userId: string;
  readonly files: readonly string[];
  readonly source: string;
  readonly bytes: number;
  readonly now: number;
}

/** A change of a job: its progress (which carries the status), the summary or the error. */
export interface ImportJobChange {
  readonly progress: ImportJobProgress;
  readonly result?: ImportSummary;
  readonly error?: string;
  readonly now: number;
}

const QUEUED: ImportJobProgress = {
  status: 'queued',
  percent: 0,
  rows: 0,
  inserted: 0,
  duplicates: 0,
  podcasts: 0,
};

async function insertJob(db: Kysely<ServerDatabase>, job: NewImportJob): Promise<void> {
  await db
    .insertInto('spoti_server_import_jobs')
    .values({
      id: job.id,
      user_id: job.userId,
      status: 'queued',
      files: JSON.stringify(job.files),
      source: job.source,
      bytes: job.bytes,
      progress: JSON.stringify(QUEUED),
      result: null,
      error: null,
      created_at: job.now,
      updated_at: job.now,
    })
    .execute();
}

async function updateJob(
  db: Kysely<ServerDatabase>,
  id: string,
  change: ImportJobChange,
): Promise<void> {
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
}

/** The `spoti_server_import_jobs` table. */
export function createImportJobRepository(db: Kysely<ServerDatabase>) {
  const jobs = () => db.selectFrom('spoti_server_import_jobs').selectAll();
  return {
    create: (job: NewImportJob) => insertJob(db, job),
    async get(id: string): Promise<ImportJob | null> {
      const row = await jobs().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : toJob(row);
    },
    async listForUser(userId: string, limit = 20): Promise<ImportJob[]> {
      const rows = await jobs()
        .where('user_id', '=', userId)
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toJob);
    },
    /** Jobs a restart must pick up again. */
    async listUnfinished(): Promise<ImportJob[]> {
      const rows = await jobs()
        .where('status', 'in', ['queued', 'running'])
        .orderBy('seq')
        .execute();
      return rows.map(toJob);
    },
    update: (id: string, change: ImportJobChange) => updateJob(db, id, change),
  };
}

/** The repository {@link createImportJobRepository} returns. */
export type ImportJobRepository = ReturnType<typeof createImportJobRepository>;
