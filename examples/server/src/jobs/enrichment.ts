import { createEnricher, reccoBeatsProvider } from '@spoti/enrich';
import { createSqlCache } from '@spoti/enrich/sql';
import type { Kysely } from 'kysely';

/** Options of {@link openTrackEnrichment}. */
export interface TrackEnrichmentOptions {
  /** The database the answers are cached in (`enrich_` tables), so a track is asked for once. */
  readonly db: Kysely<unknown>;
  /** User-Agent naming the app and a contact, as the services ask. */
  readonly userAgent: string;
  /** Base URL of the audio-features service (tests point it at the mock's stand-in). */
  readonly reccoBeatsUrl?: string | undefined;
}

/**
 * The `enrich-tracks` job's work: audio features by Spotify track id from ReccoBeats, under the
 * provider's own rate limit and retries, cached in the database. Resolves to the number of tracks
 * the service had features for.
 */
export async function openTrackEnrichment(
  options: TrackEnrichmentOptions,
): Promise<(trackIds: readonly string[], signal: AbortSignal) => Promise<number>> {
  const enricher = createEnricher({
    providers: [
      reccoBeatsProvider({
        userAgent: options.userAgent,
        ...(options.reccoBeatsUrl === undefined ? {} : { baseUrl: options.reccoBeatsUrl }),
      }),
    ],
    cache: await createSqlCache({ db: options.db }),
  });
  return async (trackIds, signal) => {
    const result = await enricher.enrich({ tracks: trackIds.map((id) => ({ id })) }, { signal });
    return result.report.providers.reduce(
      (sum, p) => sum + (p.kind === 'features' ? p.found : 0),
      0,
    );
  };
}
