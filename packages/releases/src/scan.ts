import type { SpotifyClient, SpotifySimplifiedAlbum } from '@spoti/client';
import type { ReleaseGroup } from './domain/types.js';
import { safeDateRange } from './logic/release-date.js';

/**
 * The part of `SpotifyClient` a scan uses.
 *
 * @example
 * ```ts
 * const client: ScanClient = createSpotifyClient({ clientId: 'id', clientSecret: 'secret' });
 * ```
 */
export type ScanClient = Pick<SpotifyClient, 'getArtistAlbums'>;

/**
 * One album item of an artist, with the group it was listed under.
 *
 * @example
 * ```ts
 * for (const { album, group } of await scanArtistAlbums(input)) console.log(group, album.name);
 * ```
 */
export interface ScannedEdition {
  readonly album: SpotifySimplifiedAlbum;
  readonly group: ReleaseGroup;
}

/**
 * Input of {@link scanArtistAlbums}.
 *
 * @example
 * ```ts
 * const input: ScanArtistInput = { client, artistId, groups: ['album'], pageSize: 10, horizonStart: Date.now() - 60 * 86_400_000 };
 * ```
 */
export interface ScanArtistInput {
  readonly client: ScanClient;
  readonly artistId: string;
  readonly groups: readonly ReleaseGroup[];
  /** Page size asked for (the client caps it at the mode's maximum: 10 in development mode). */
  readonly pageSize: number;
  readonly market?: string | undefined;
  /** Releases dated entirely before this instant end the scan of a group (Unix ms). */
  readonly horizonStart: number;
  readonly signal?: AbortSignal | undefined;
  /** Incremented once per request, also for requests that fail. */
  readonly onCall?: (() => void) | undefined;
}

/**
 * Lists an artist's albums newest first, one `include_groups` group at a time (so each item's
 * group is known now that `album_group` is gone), paging only while the page was full and its
 * oldest item is still inside the horizon. Items already seen are returned too; the caller
 * decides what is new. Client errors (rate limits, 5xx after retries) are thrown unchanged.
 *
 * @example
 * ```ts
 * const items = await scanArtistAlbums({ client, artistId, groups: ['album', 'single'], pageSize: 10, horizonStart });
 * ```
 */
export async function scanArtistAlbums(input: ScanArtistInput): Promise<ScannedEdition[]> {
  const out: ScannedEdition[] = [];
  for (const group of input.groups) {
    let offset = 0;
    for (;;) {
      input.onCall?.();
      const page = await input.client.getArtistAlbums(input.artistId, {
        includeGroups: [group],
        limit: input.pageSize,
        offset,
        market: input.market,
        signal: input.signal,
      });
      for (const album of page.items) out.push({ album, group });
      const last = page.items.at(-1);
      if (last === undefined || page.next === null) break;
      if (page.items.length < page.limit) break;
      const oldest = safeDateRange(last.release_date, last.release_date_precision);
      if (oldest !== null && oldest.end <= input.horizonStart) break;
      offset += page.items.length;
    }
  }
  return out;
}
