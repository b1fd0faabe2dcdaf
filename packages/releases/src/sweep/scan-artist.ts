import { type Mutex, albumFromSpotify } from '@spoti/catalog';
import type { ArtistCursor } from '../domain/types.js';
import { editionOf, foldEditions, splitScan, withinHorizon } from '../logic/fold-editions.js';
import type { ResolvedWatcherOptions } from '../options.js';
import { scanArtistAlbums } from '../scan.js';
import type { ReleaseStore, SeenEdition } from '../store/release-store.js';

const DAY_MS = 86_400_000;

/** What a sweep's scans share: the store, the options, the clock and the fold lock. */
export interface SweepContext {
  readonly store: ReleaseStore;
  readonly options: ResolvedWatcherOptions;
  readonly now: () => number;
  /** Held while editions are folded and committed, so two scans never fold the same release apart. */
  readonly fold: Mutex;
}

/** Releases created and editions attached by one scan. */
export interface ScanCount {
  readonly releases: number;
  readonly editions: number;
}

/**
 * Scans one artist (Spotify calls counted by `onCall`), then, holding the fold lock, folds the
 * new editions into releases and commits the cursor, the seen editions and the releases in one
 * step; new editions inside the horizon are mirrored into the catalog when one is configured.
 * Client errors are thrown unchanged and nothing is committed.
 */
export async function scanArtist(
  ctx: SweepContext,
  cursor: ArtistCursor,
  signal: AbortSignal | undefined,
  onCall: () => void,
): Promise<ScanCount> {
  const o = ctx.options;
  const now = ctx.now();
  const horizonStart = now - o.horizonDays * DAY_MS;
  const seen = await ctx.store.getSeenEditions(cursor.artistId);
  const items = await scanArtistAlbums({
    client: o.client,
    artistId: cursor.artistId,
    groups: o.groups,
    pageSize: o.pageSize,
    market: o.market,
    horizonStart,
    signal,
    onCall,
  });
  const scan = splitScan(items, seen, cursor.artistId, cursor.name);
  return ctx.fold.run(async () => {
    const fresh = withinHorizon(scan.unseen, horizonStart);
    const existing = await ctx.store.findReleases({
      foldKeys: [...new Set(fresh.map((f) => editionOf(f.album, cursor.artistId).foldKey))],
      editionIds: fresh.map((f) => f.album.id),
    });
    const folded = foldEditions({
      artistId: cursor.artistId,
      editions: fresh,
      existing,
      foldWindowDays: o.foldWindowDays,
      now,
    });
    const editions: SeenEdition[] = scan.unseen.map(({ album }) => ({
      artistId: cursor.artistId,
      albumId: album.id,
      releaseId: folded.releaseOfEdition.get(album.id) ?? null,
    }));
    await ctx.store.commitScan({
      cursor: {
        artistId: cursor.artistId,
        name: scan.name,
        lastScannedAt: now,
        newestSeen: scan.newestSeen,
        nextScanAt: now + o.artistIntervalMs,
        failures: 0,
        lastError: null,
      },
      editions,
      releases: [...folded.changed],
    });
    if (o.catalog !== undefined && fresh.length > 0) {
      await o.catalog.upsertAlbums(fresh.map(({ album }) => albumFromSpotify(album, now)));
    }
    return { releases: folded.created, editions: folded.attached };
  });
}
