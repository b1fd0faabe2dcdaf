import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { platformMigration } from '../api/storage/platform-migration.js';
import { ServerError } from '../server-error.js';
import { playlistsMigration } from './playlists-migration.js';
import { facesMigration } from './faces-migration.js';
import { faceCacheMigration } from './faces-cache-migration.js';
import { releasesMigration } from './release-runs.js';
import { mediaBillingMigration } from './migration-0007-media-billing.js';
import { jobsMigration } from './jobs-migration.js';
import { studentVerificationMigration } from '../api/billing/student-migration.js';

const migrations: Record<string, Migration> = {
  '0001-server-tables': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table spoti_server_users (
          id text primary key,
          spotify_id text not null unique,
          display_name text not null,
          email text,
          time_zone text not null,
          reconnect_required boolean not null default false,
          created_at bigint not null,
          updated_at bigint not null,
          last_sync_at bigint
        )`.execute(db);
      await sql`
        create table spoti_server_sessions (
          sid text primary key,
          user_id text,
          data text not null,
          expires_at bigint not null
        )`.execute(db);
      await sql`create index spoti_server_sessions_user on spoti_server_sessions (user_id)`.execute(
        db,
      );
      await sql`create index spoti_server_sessions_expiry on spoti_server_sessions (expires_at)`.execute(
        db,
      );
      await sql`
        create table spoti_server_tokens (
          user_id text primary key,
          key_id text not null,
          ciphertext text not null,
          updated_at bigint not null
        )`.execute(db);
      await sql`
        create table spoti_server_import_jobs (
          id text primary key,
          seq bigserial not null,
          user_id text not null,
          status text not null,
          files text not null,
          source text not null,
          bytes bigint not null,
          progress text not null,
          result text,
          error text,
          created_at bigint not null,
          updated_at bigint not null
        )`.execute(db);
      await sql`create index spoti_server_import_jobs_user on spoti_server_import_jobs (user_id, seq)`.execute(
        db,
      );
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['import_jobs', 'tokens', 'sessions', 'users']) {
        await sql`drop table ${sql.table(`spoti_server_${table}`)}`.execute(db);
      }
    },
  },
  '0004-playlists': playlistsMigration,
  '0002-faces': facesMigration,
  '0005-releases': releasesMigration,
  '0006-platform': platformMigration,
  '0007-media-billing': mediaBillingMigration,
  '0008-student-verifications': studentVerificationMigration,
  '0003-jobs': jobsMigration,
  '0009-face-cache': faceCacheMigration,
};

/**
 * Brings the server's tables up to date. They carry the `spoti_server_` prefix and their own
 * migration table, so they live beside the catalog's and the sync state's in one database.
 */
export async function migrateServerTables(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'spoti_server_migration',
    migrationLockTableName: 'spoti_server_migration_lock',
    // Each migration creates the tables of one feature and none reads another's, so a database
    // that ran a later one first (an early build of that feature) still takes the earlier ones.
    allowUnorderedMigrations: true,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new ServerError('STORE_FAILURE', `Migration ${failed} failed`, { cause: error });
  }
}
