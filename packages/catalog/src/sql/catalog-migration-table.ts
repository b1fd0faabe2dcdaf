/** The catalog's migration table (its lock table is `catalog_migrations_lock`). */
export const CATALOG_MIGRATION_TABLE = 'catalog_migrations';
