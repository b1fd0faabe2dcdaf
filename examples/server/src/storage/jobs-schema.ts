import type { Ms } from './schema.js';

/** `spoti_server_schedules`: when each recurring job (per user, or app-wide) runs next. */
export interface SchedulesTable {
  key: string;
  job: string;
  user_id: string | null;
  next_run_at: Ms;
  updated_at: Ms;
}

/** `spoti_server_jobs`: the embedded queue (jobs waiting, running or waiting for a retry). */
export interface JobsTable {
  id: string;
  name: string;
  user_id: string | null;
  input: string;
  status: 'queued' | 'running';
  attempts: number;
  max_attempts: number;
  run_after: Ms;
  locked_until: Ms | null;
  last_error: string | null;
  created_at: Ms;
  updated_at: Ms;
}

/** `spoti_server_job_runs`: every job id that completed, once (the guard against doing it twice). */
export interface JobRunsTable {
  id: string;
  name: string;
  user_id: string | null;
  attempts: number;
  completed_at: Ms;
}

/** `spoti_server_dead_jobs`: jobs that failed their last try (shown in the user's sync log). */
export interface DeadJobsTable {
  id: string;
  name: string;
  user_id: string | null;
  input: string;
  attempts: number;
  error: string;
  dead_at: Ms;
}

/** `spoti_server_app_blocks`: app-wide pauses, such as Spotify's daily quota until `until_at`. */
export interface AppBlocksTable {
  scope: string;
  until_at: Ms;
  reason: string;
  updated_at: Ms;
}

/** The job layer's tables. */
export interface JobsDatabase {
  spoti_server_schedules: SchedulesTable;
  spoti_server_jobs: JobsTable;
  spoti_server_job_runs: JobRunsTable;
  spoti_server_dead_jobs: DeadJobsTable;
  spoti_server_app_blocks: AppBlocksTable;
}
