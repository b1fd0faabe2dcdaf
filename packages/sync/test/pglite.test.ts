import { PGlite } from '@electric-sql/pglite';
import { type CatalogStore, createMemoryStore, playKey } from '@spoti/catalog';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteSyncStateStore, createSync } from '../src/index.js';
import { type Harness, HOUR, MINUTE, harness, truthKeys } from './helpers.js';

// One PGlite instance for the file: starting PGlite (compiling its WebAssembly) is the slow part.
let h: Harness | undefined;
let pglite: PGlite | undefined;
afterAll(async () => {
  await h?.close();
  await pglite?.close();
});

describe('sync state on PGlite', () => {
  it('polls and syncs the library with its state in PGlite, and finds it again', async () => {
    h = await harness({ persona: 'night-owl' });
    pglite = new PGlite();
    const store: CatalogStore = createMemoryStore();
    const state = await createPgliteSyncStateStore({ pglite });
    const clock = h.mock.controls.clock;
    let sync = createSync({ store, state, clock });
    await sync.syncRecentPlays(h.user);
    const since = (await store.listPlays({ userId: h.userId, limit: 1 }))[0]?.endedAt ?? 0;
    const library = await sync.syncLibrary(h.user);
    expect(library.run.status).toBe('ok');
    for (let i = 0; i < 12; i++) {
      clock.advance(30 * MINUTE);
      await sync.syncRecentPlays(h.user);
    }
    // A new store over the same database (migrations are idempotent) sees the same state.
    const cursor = await sync.playCursor(h.userId);
    await state.close(); // leaves a PGlite it did not open running
    const again = await createPgliteSyncStateStore({ pglite });
    sync = createSync({ store, state: again, clock });
    expect(await sync.playCursor(h.userId)).toEqual(cursor);
    clock.advance(HOUR);
    const last = await sync.syncRecentPlays(h.user);
    expect(last.run.status).toBe('ok');
    const stored = (await store.listPlays({ userId: h.userId })).map((p) => playKey(p)).sort();
    expect(stored).toEqual(truthKeys(h, since - 1, clock.now()).sort());
    const user = h.mock.world.users.get(h.userId)!;
    expect((await again.listLibrary(h.userId, 'track')).length).toBe(user.savedTracks.size);
    const runs = await sync.runs(h.userId, { limit: 100 });
    expect(runs[0]?.id).toBe(last.run.id);
    expect(runs.filter((r) => r.kind === 'library')).toHaveLength(1);
    expect(runs.filter((r) => r.kind === 'plays')).toHaveLength(14);
    const tables = await pglite.query<{ tablename: string }>(
      "select tablename from pg_tables where tablename like 'spoti_sync_%' order by 1",
    );
    expect(tables.rows.map((r) => r.tablename)).toContain('spoti_sync_runs');
  }, 120_000);
});
