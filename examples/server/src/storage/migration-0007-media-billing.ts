import { type Kysely, type Migration, sql } from 'kysely';

/** Uploaded media: audio originals, their renditions, covers and avatars. */
async function createMediaTables(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table spoti_server_media_audio (
      song_id text primary key,
      user_id text not null,
      object_key text not null,
      format text not null,
      mime_type text not null,
      size_bytes bigint not null,
      duration_ms bigint not null,
      bitrate_kbps integer,
      etag text not null,
      created_at bigint not null,
      updated_at bigint not null
    )`.execute(db);
  await sql`create index spoti_server_media_audio_user on spoti_server_media_audio (user_id)`.execute(
    db,
  );
  await sql`
    create table spoti_server_media_renditions (
      song_id text not null,
      kbps integer not null,
      user_id text not null,
      object_key text not null,
      size_bytes bigint not null,
      etag text not null,
      source_etag text not null,
      created_at bigint not null,
      primary key (song_id, kbps)
    )`.execute(db);
  await sql`
    create table spoti_server_media_images (
      kind text not null,
      owner_id text not null,
      user_id text not null,
      object_key text not null,
      mime_type text not null,
      size_bytes bigint not null,
      width integer not null,
      height integer not null,
      etag text not null,
      updated_at bigint not null,
      primary key (kind, owner_id)
    )`.execute(db);
  await sql`create index spoti_server_media_images_user on spoti_server_media_images (user_id)`.execute(
    db,
  );
}

/** Stripe billing: customers, open checkouts, subscriptions, their members, handled events. */
async function createBillingTables(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table spoti_server_billing_customers (
      user_id text primary key,
      stripe_customer_id text not null unique,
      trial_used boolean not null default false,
      created_at bigint not null
    )`.execute(db);
  await sql`
    create table spoti_server_billing_checkouts (
      id text primary key,
      user_id text not null,
      plan_id text not null,
      url text not null,
      expires_at bigint not null,
      created_at bigint not null
    )`.execute(db);
  await sql`create index spoti_server_billing_checkouts_user on spoti_server_billing_checkouts (user_id, plan_id)`.execute(
    db,
  );
  await sql`
    create table spoti_server_billing_subscriptions (
      id text primary key,
      user_id text not null,
      stripe_customer_id text not null,
      plan_id text not null,
      status text not null,
      trial_end bigint,
      current_period_end bigint,
      cancel_at_period_end boolean not null default false,
      ended_at bigint,
      last_event_at bigint not null,
      created_at bigint not null,
      updated_at bigint not null
    )`.execute(db);
  await sql`create index spoti_server_billing_subscriptions_user on spoti_server_billing_subscriptions (user_id)`.execute(
    db,
  );
  await sql`
    create table spoti_server_billing_members (
      subscription_id text not null,
      user_id text not null,
      added_at bigint not null,
      primary key (subscription_id, user_id)
    )`.execute(db);
  await sql`create index spoti_server_billing_members_user on spoti_server_billing_members (user_id)`.execute(
    db,
  );
  await sql`
    create table spoti_server_billing_events (
      id text primary key,
      type text not null,
      received_at bigint not null
    )`.execute(db);
}

/**
 * Tables of uploaded media (audio originals, their renditions, covers and avatars) and of Stripe
 * billing (customers, open checkouts, subscriptions, their members, handled webhook events).
 * Every per-user table has a `user_id` column, so account deletion finds its rows.
 */
export const mediaBillingMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await createMediaTables(db);
    await createBillingTables(db);
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'billing_events',
      'billing_members',
      'billing_subscriptions',
      'billing_checkouts',
      'billing_customers',
      'media_images',
      'media_renditions',
      'media_audio',
    ]) {
      await sql`drop table ${sql.table(`spoti_server_${table}`)}`.execute(db);
    }
  },
};
