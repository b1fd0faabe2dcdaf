import type { SpotifySimplifiedAlbum } from '@spoti/client';
import type { Release, ReleaseGroup, ReleaseType } from '../domain/types.js';
import type { ScannedEdition } from '../scan.js';
import { type FoldableEdition, belongsTo, foldKey } from './fold.js';
import { safeDateRange } from './release-date.js';

/** The release type of a Spotify `album_type`: `single`, `compilation`, else `album`. */
export function releaseTypeOf(albumType: string): ReleaseType {
  const t = albumType.toLowerCase();
  return t === 'single' || t === 'compilation' ? t : 'album';
}

/**
 * An album as the fold compares it; an album without artists folds under `artistId`.
 *
 * @example
 * ```ts
 * editionOf(album, 'a1').foldKey; // 'a1|album|night drive'
 * ```
 */
export function editionOf(album: SpotifySimplifiedAlbum, artistId: string): FoldableEdition {
  return {
    albumId: album.id,
    foldKey: foldKey({
      primaryArtistId: album.artists[0]?.id ?? artistId,
      type: releaseTypeOf(album.album_type),
      name: album.name,
    }),
    releaseDate: album.release_date,
    releaseDatePrecision: album.release_date_precision,
    upc: null,
  };
}

/** What one scan of an artist listed, split into what the artist's cursor and the fold need. */
export interface ScanSplit {
  /** Newest album id per group, as listed (newest first). */
  readonly newestSeen: Partial<Record<ReleaseGroup, string>>;
  /** Albums not seen before, each once, in listing order. */
  readonly unseen: readonly ScannedEdition[];
  /** The artist's name as the albums spell it (the cursor's name when none names the artist). */
  readonly name: string | null;
}

/**
 * Splits a scan's items into the newest album per group, the albums not seen before (each
 * once), and the artist's name as the albums spell it.
 *
 * @example
 * ```ts
 * const { unseen } = splitScan(items, seen, 'a1', cursor.name);
 * ```
 */
export function splitScan(
  items: readonly ScannedEdition[],
  seen: ReadonlySet<string>,
  artistId: string,
  knownName: string | null,
): ScanSplit {
  const newestSeen: Partial<Record<ReleaseGroup, string>> = {};
  const unseen: ScannedEdition[] = [];
  const inScan = new Set<string>();
  let name = knownName;
  for (const item of items) {
    if (newestSeen[item.group] === undefined) newestSeen[item.group] = item.album.id;
    for (const a of item.album.artists) if (a.id === artistId) name = a.name;
    if (seen.has(item.album.id) || inScan.has(item.album.id)) continue;
    inScan.add(item.album.id);
    unseen.push(item);
  }
  return { newestSeen, unseen, name };
}

/**
 * The items whose release date may still end after `horizonStart` (undated ones are kept).
 *
 * @example
 * ```ts
 * const fresh = withinHorizon(unseen, now - 60 * 86_400_000);
 * ```
 */
export function withinHorizon(
  items: readonly ScannedEdition[],
  horizonStart: number,
): ScannedEdition[] {
  return items.filter((item) => {
    const range = safeDateRange(item.album.release_date, item.album.release_date_precision);
    return range === null || range.end > horizonStart;
  });
}

/**
 * Input of {@link foldEditions}.
 *
 * @example
 * ```ts
 * const input: FoldInput = { artistId: 'a1', editions: fresh, existing: [], foldWindowDays: 30, now: Date.now() };
 * ```
 */
export interface FoldInput {
  /** The artist whose scan listed the editions. */
  readonly artistId: string;
  /** The editions to fold (any order). */
  readonly editions: readonly ScannedEdition[];
  /** Releases they may belong to (found by fold key or edition id). */
  readonly existing: readonly Release[];
  readonly foldWindowDays: number;
  /** Discovery time of releases created now (Unix ms). */
  readonly now: number;
}

/**
 * What {@link foldEditions} decided.
 *
 * @example
 * ```ts
 * const { changed, releaseOfEdition, created, attached }: FoldResult = foldEditions(input);
 * ```
 */
export interface FoldResult {
  /** Releases created or changed, to be stored. */
  readonly changed: readonly Release[];
  /** The release each edition now belongs to. */
  readonly releaseOfEdition: ReadonlyMap<string, string>;
  /** Releases created. */
  readonly created: number;
  /** Editions attached to a release that already had another edition. */
  readonly attached: number;
}

function byReleaseDate(a: ScannedEdition, b: ScannedEdition): number {
  return (
    a.album.release_date.localeCompare(b.album.release_date) || (a.album.id < b.album.id ? -1 : 1)
  );
}

function newRelease(
  album: SpotifySimplifiedAlbum,
  group: ReleaseGroup,
  key: string,
  input: FoldInput,
): Release {
  return {
    id: album.id,
    foldKey: key,
    name: album.name,
    type: releaseTypeOf(album.album_type),
    group,
    artists: album.artists.map((a) => ({ id: a.id, name: a.name })),
    releaseDate: album.release_date,
    releaseDatePrecision: album.release_date_precision,
    imageUrl: album.images?.[0]?.url ?? null,
    url: album.external_urls?.spotify ?? `https://open.spotify.com/album/${album.id}`,
    totalTracks: album.total_tracks,
    editionIds: [album.id],
    upcs: [],
    foundVia: [input.artistId],
    discoveredAt: input.now,
  };
}

/** The release with the edition attached, or the same object when nothing changes. */
function attachEdition(
  target: Release,
  albumId: string,
  group: ReleaseGroup,
  artistId: string,
): Release {
  const editionIds = target.editionIds.includes(albumId)
    ? target.editionIds
    : [...target.editionIds, albumId];
  const foundVia = target.foundVia.includes(artistId)
    ? target.foundVia
    : [...target.foundVia, artistId];
  const betterGroup: ReleaseGroup =
    target.group === 'appears_on' && group !== 'appears_on' ? group : target.group;
  if (
    editionIds === target.editionIds &&
    foundVia === target.foundVia &&
    betterGroup === target.group
  )
    return target;
  return { ...target, editionIds, foundVia, group: betterGroup };
}

/**
 * Folds editions into releases: oldest first, each edition joins the first release it belongs
 * to ({@link belongsTo}: a shared UPC, or the same fold key within `foldWindowDays`) or starts a
 * new one that takes its id. An edition whose primary artist is not the scanned artist counts as
 * `appears_on`; a release found only that way takes the group of its own artist when that shows.
 * Pure: no store, no clock.
 *
 * @example
 * ```ts
 * const { changed } = foldEditions({ artistId: 'a1', editions, existing, foldWindowDays: 30, now });
 * await store.commitScan({ cursor, editions: seen, releases: [...changed] });
 * ```
 */
export function foldEditions(input: FoldInput): FoldResult {
  const working = new Map(input.existing.map((r) => [r.id, r] as const));
  const changed = new Set<string>();
  const releaseOfEdition = new Map<string, string>();
  let created = 0;
  let attached = 0;
  // Oldest first, so the first edition of a release is the one whose id it takes.
  for (const { album, group } of [...input.editions].sort(byReleaseDate)) {
    const edition = editionOf(album, input.artistId);
    const ownGroup: ReleaseGroup = album.artists[0]?.id === input.artistId ? group : 'appears_on';
    let target: Release | undefined;
    for (const r of working.values()) {
      if (belongsTo(edition, r, input.foldWindowDays)) {
        target = r;
        break;
      }
    }
    if (target === undefined) {
      const release = newRelease(album, ownGroup, edition.foldKey, input);
      working.set(release.id, release);
      changed.add(release.id);
      releaseOfEdition.set(album.id, release.id);
      created += 1;
      continue;
    }
    const updated = attachEdition(target, album.id, ownGroup, input.artistId);
    if (updated.editionIds !== target.editionIds) attached += 1;
    if (updated !== target) {
      working.set(updated.id, updated);
      changed.add(updated.id);
    }
    releaseOfEdition.set(album.id, target.id);
  }
  return {
    changed: [...changed].map((id) => working.get(id) as Release),
    releaseOfEdition,
    created,
    attached,
  };
}
