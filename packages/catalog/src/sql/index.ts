export { createPgliteStore, createPostgresStore } from './create-stores.js';
export type { PgliteStoreOptions, PostgresStoreOptions } from './create-stores.js';
export { DEFAULT_MAX_CONNECTIONS, openSqlDatabase } from './open-database.js';
export type { SqlDatabase, SqlTarget } from './open-database.js';
export { migrateSqlSchema } from './migrate.js';
export type { MigrateSqlSchemaOptions } from './migrate.js';
export { CATALOG_MIGRATION_TABLE } from './catalog-migration-table.js';
export { PgliteDialect } from './pglite-dialect.js';
export type { PgliteInstance } from './pglite-instance.js';
