import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import { SharedAnswers } from './catalog/shared-answers.js';
import { AccountRepository } from './storage/accounts.js';
import { CatalogReads } from './storage/catalog-reads.js';
import { SkipRepository } from './storage/skips.js';
import type { PlatformDatabase } from './storage/platform-schema.js';

/** What the API's routes share: the server's context and the platform's repositories. */
export interface ApiServices {
  readonly ctx: AppContext;
  readonly db: Kysely<PlatformDatabase>;
  readonly accounts: AccountRepository;
  readonly skips: SkipRepository;
  /** Reads over the catalog's tables its store interface lacks. */
  readonly reads: CatalogReads;
  /** Lower-cased emails that get the `admin` role when they register. */
  readonly adminEmails: ReadonlySet<string>;
  /** Search and trending answers shared between callers (dropped when visibility changes). */
  readonly shared: SharedAnswers;
}

/** Builds the {@link ApiServices} of a running server. */
export function createApiServices(ctx: AppContext): ApiServices {
  const db = ctx.database.db as unknown as Kysely<PlatformDatabase>;
  return {
    ctx,
    db,
    accounts: new AccountRepository(db, ctx.clock),
    skips: new SkipRepository(db),
    reads: new CatalogReads(ctx.database.db as unknown as Kysely<unknown>),
    adminEmails: new Set(ctx.config.apiAdminEmails),
    shared: new SharedAnswers(),
  };
}
