import { createPgliteStore } from '@spoti/catalog';
import { openSqlDatabase } from '@spoti/catalog/sql';
import { describe, expect, it } from 'vitest';
import { createPgliteReleaseStore, isReleasesError } from '../src/index.js';

describe('release store on a database shared with the catalog', () => {
  it('keeps its tables beside the catalog on one Kysely instance, which both leave open', async () => {
    const database = await openSqlDatabase({});
    try {
      const catalog = await createPgliteStore({ db: database.db });
      const releases = await createPgliteReleaseStore({ db: database.db });
      await releases.setMeta('last-sweep', { at: 1 });
      await releases.close();
      await catalog.close();
      const again = await createPgliteReleaseStore({ db: database.db });
      expect(await again.getMeta('last-sweep')).toEqual({ at: 1 });
      expect(await (await createPgliteStore({ db: database.db })).countPlays()).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('names a wrong option with a typed error', async () => {
    const error = await createPgliteReleaseStore({ dataDir: '' }).catch((e: unknown) => e);
    expect(isReleasesError(error) && error.code).toBe('INVALID_OPTIONS');
  });
});
