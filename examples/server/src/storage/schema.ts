import type { ColumnType, Generated } from 'kysely';

/** A Unix-ms column (`bigint`): PGlite reads it as a number, node-postgres as a string. */
export type Ms = ColumnType<number | string, number, number>;

/** `spoti_server_users`: one row per person who signed in. */
export interface UsersTable {
  id: string;
  spotify_id: string;
  display_name: string;
  email: string | null;
  time_zone: string;
  reconnect_required: boolean;
  created_at: Ms;
  updated_at: Ms;
  last_sync_at: ColumnType<number | string | null, number | null, number | null>;
}

/** `spoti_server_sessions`: express-session data, with the user id apart for deletion. */
export interface SessionsTable {
  sid: string;
  user_id: string | null;
  data: string;
  expires_at: Ms;
}

/** `spoti_server_tokens`: a user's Spotify tokens, AES-256-GCM encrypted, with the key id. */
export interface TokensTable {
  user_id: string;
  key_id: string;
  ciphertext: string;
  updated_at: Ms;
}

/** `spoti_server_import_jobs`: uploaded exports and their import's state. */
export interface ImportJobsTable {
  id: string;
  user_id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  files: string;
  source: string;
  bytes: Ms;
  progress: string;
  result: string | null;
  error: string | null;
  created_at: Ms;
  updated_at: Ms;
  seq: Generated<number | string>;
}

/** The server's own tables (the packages' tables live beside them in the same database). */
export interface ServerDatabase {
  spoti_server_users: UsersTable;
  spoti_server_sessions: SessionsTable;
  spoti_server_tokens: TokensTable;
  spoti_server_import_jobs: ImportJobsTable;
}
