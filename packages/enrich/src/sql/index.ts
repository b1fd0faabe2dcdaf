/**
 * `@spoti/enrich/sql`: the enrichment cache on a SQL database (PostgreSQL or PGlite through
 * Kysely), apart from the main entry so that enrichment without a database needs no Kysely.
 *
 * @packageDocumentation
 */
export { createSqlCache } from './sql-cache.js';
export type { SqlCacheOptions } from './sql-cache.js';
