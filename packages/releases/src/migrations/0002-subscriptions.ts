import { type Kysely, sql } from 'kysely';

/**
 * Double opt-in: the confirmation time and the address of a subscriber as columns (the JSON
 * document stays the source of truth). Rows written before it are confirmed at their creation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    'alter table releases_subscribers add column confirmed_at bigint',
    'alter table releases_subscribers add column email text',
    `update releases_subscribers set
      email = data->>'email',
      confirmed_at = coalesce((data->>'confirmedAt')::bigint, (data->>'createdAt')::bigint)`,
    'create index releases_subscribers_email on releases_subscribers (lower(email))',
    `create index releases_subscribers_pending on releases_subscribers (id)
      where confirmed_at is null`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Drops the columns again. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'drop index if exists releases_subscribers_pending',
    'drop index if exists releases_subscribers_email',
    'alter table releases_subscribers drop column if exists email',
    'alter table releases_subscribers drop column if exists confirmed_at',
  ])
    await sql.raw(statement).execute(db);
}
