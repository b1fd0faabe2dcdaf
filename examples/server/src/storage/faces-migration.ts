import { type Kysely, type Migration, sql } from 'kysely';

/**
 * `0002-faces`: the face studio's tables. Every one has a `user_id` column, so account deletion
 * finds them; the rendered images live in object storage under `faces/<user id>/`.
 */
export const facesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // Pins and the variation seed a user chose in the studio (one row per user).
    await sql`
      create table spoti_server_face_pins (
        user_id text primary key,
        pins text not null,
        seed text,
        updated_at bigint not null
      )`.execute(db);
    // The last profile collected per user and period: shown when Spotify refuses more calls.
    await sql`
      create table spoti_server_face_profiles (
        user_id text not null,
        period text not null,
        profile text not null,
        collected_at bigint not null,
        primary key (user_id, period)
      )`.execute(db);
    // Every generated face: parameters, reasons, profile summary, period, time and images.
    await sql`
      create table spoti_server_faces (
        id text primary key,
        seq bigserial not null,
        user_id text not null,
        content_hash text not null,
        period text not null,
        period_label text not null,
        face_string text not null,
        face text not null,
        summary text not null,
        images text not null,
        share_slug text unique,
        shared_at bigint,
        created_at bigint not null,
        unique (user_id, content_hash)
      )`.execute(db);
    await sql`create index spoti_server_faces_user on spoti_server_faces (user_id, seq)`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['faces', 'face_profiles', 'face_pins']) {
      await sql`drop table ${sql.table(`spoti_server_${table}`)}`.execute(db);
    }
  },
};
