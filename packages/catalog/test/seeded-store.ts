import { afterEach, beforeEach } from 'vitest';
import type { CatalogStore } from '../src/index.js';
import { albums, artists, tracks, user } from './fixtures.js';

/**
 * The set-up the shared store suites use: before each test, a store from `factory` holding the
 * fixture artists, albums and tracks and the listeners `userIds`, handed to `open`; closed after
 * the test. Hooks registered after this call run after the seeding.
 */
export function useSeededStore(
  factory: () => Promise<CatalogStore>,
  open: (store: CatalogStore) => void,
  userIds: readonly string[] = ['u1', 'u2'],
): void {
  let current: CatalogStore | null = null;
  beforeEach(async () => {
    current = await factory();
    await current.upsertArtists(artists);
    await current.upsertAlbums(albums);
    await current.upsertTracks(tracks);
    await current.upsertUsers(userIds.map((id) => user(id)));
    open(current);
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
}
