import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Migration `0008-student-verifications`: proofs of student enrolment redeemed by accounts (one
 * row per verification; the newest expiry is the one in effect). `user_id` names the account, so
 * account deletion finds the rows.
 */
export const studentVerificationMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table spoti_server_student_verifications (
        proof_id text primary key,
        user_id text not null,
        institution text not null,
        verified_at bigint not null,
        expires_at bigint not null,
        received_at bigint not null
      )`.execute(db);
    await sql`create index spoti_server_student_verifications_user
      on spoti_server_student_verifications (user_id, expires_at)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table spoti_server_student_verifications`.execute(db);
  },
};
