import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PlayIndex, ProfileOptions } from '@spoti/analytics';
import {
  createEnricher,
  createFileCache,
  deezerProvider,
  type EnrichmentProvider,
  lastFmProvider,
  type EnrichmentResult,
  musicBrainzProvider,
  reccoBeatsProvider,
} from '@spoti/enrich';
import { int } from './format.js';
import { isTty, UsageError } from './io.js';

/** The `--enrich` options both commands take (for `parseArgs`). */
export const ENRICH_ARGS = {
  enrich: { type: 'boolean' },
  'enrich-providers': { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

/** Usage lines of the `--enrich` options. */
export const ENRICH_USAGE = `  --enrich             fill in audio features and genres over the network (ReccoBeats,
                       MusicBrainz); off by default, the export alone is used
  --enrich-providers <list>
                       which services to ask, in order (default reccobeats,musicbrainz;
                       also deezer, and lastfm with SPOTI_LASTFM_API_KEY)
  --cache-dir <dir>    where enrichment answers are kept so they are asked once
                       (default $XDG_CACHE_HOME/spoti/enrich or ~/.cache/spoti/enrich)
`;

const PROVIDERS = ['reccobeats', 'musicbrainz', 'lastfm', 'deezer'] as const;
const DEFAULT_PROVIDERS = ['reccobeats', 'musicbrainz'] as const;
type ProviderId = (typeof PROVIDERS)[number];

/** Parsed `--enrich` settings. */
export interface EnrichSettings {
  readonly providers: readonly ProviderId[];
  readonly cacheDir: string;
}

/**
 * Reads the `--enrich` options; undefined when enrichment is off. Throws `makeError(message)`
 * for bad usage (the command's usage error).
 */
export function parseEnrichSettings(
  values: { enrich?: boolean; 'enrich-providers'?: string; 'cache-dir'?: string },
  env: NodeJS.ProcessEnv,
): EnrichSettings | undefined {
  if (values.enrich !== true) {
    if (values['enrich-providers'] !== undefined || values['cache-dir'] !== undefined)
      throw new UsageError('--enrich-providers and --cache-dir need --enrich');
    return undefined;
  }
  const list = (values['enrich-providers'] ?? DEFAULT_PROVIDERS.join(','))
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '');
  if (list.length === 0) throw new UsageError('--enrich-providers names no service');
  for (const p of list)
    if (!(PROVIDERS as readonly string[]).includes(p))
      throw new UsageError(
        `invalid --enrich-providers ${JSON.stringify(p)}; expected ${PROVIDERS.join(', ')}`,
      );
  if (list.includes('lastfm') && (env.SPOTI_LASTFM_API_KEY ?? '').trim() === '')
    throw new UsageError(
      '--enrich-providers lastfm needs your Last.fm API key in SPOTI_LASTFM_API_KEY',
    );
  const cacheDir =
    values['cache-dir'] ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'spoti', 'enrich');
  if (cacheDir.trim() === '') throw new UsageError('--cache-dir must not be empty');
  return { providers: [...new Set(list)] as ProviderId[], cacheDir };
}

/**
 * Spacing between requests for a service on a URL of the user's own (a MusicBrainz mirror has
 * no rate limit): `SPOTI_ENRICH_MIN_INTERVAL_MS`. Ignored for the public services, whose limits
 * the providers keep.
 */
function mirrorSpacing(url: string | undefined, env: NodeJS.ProcessEnv): { minTimeMs?: number } {
  const raw = env.SPOTI_ENRICH_MIN_INTERVAL_MS;
  if (url === undefined || raw === undefined || !/^\d{1,6}$/.test(raw)) return {};
  return { minTimeMs: Number(raw) };
}

/** The enrichment services the settings name, with the URLs and User-Agent from the environment. */
function createProviders(settings: EnrichSettings, env: NodeJS.ProcessEnv): EnrichmentProvider[] {
  const userAgent = env.SPOTI_USER_AGENT;
  const common = userAgent === undefined || userAgent.trim() === '' ? {} : { userAgent };
  return settings.providers.map((id) =>
    id === 'deezer'
      ? deezerProvider({
          ...common,
          ...mirrorSpacing(env.SPOTI_DEEZER_URL, env),
          ...(env.SPOTI_DEEZER_URL === undefined ? {} : { baseUrl: env.SPOTI_DEEZER_URL }),
        })
      : id === 'lastfm'
        ? lastFmProvider({
            ...common,
            apiKey: env.SPOTI_LASTFM_API_KEY ?? '',
            ...mirrorSpacing(env.SPOTI_LASTFM_URL, env),
            ...(env.SPOTI_LASTFM_URL === undefined ? {} : { baseUrl: env.SPOTI_LASTFM_URL }),
          })
        : id === 'reccobeats'
          ? reccoBeatsProvider({
              ...common,
              ...mirrorSpacing(env.SPOTI_RECCOBEATS_URL, env),
              ...(env.SPOTI_RECCOBEATS_URL === undefined
                ? {}
                : { baseUrl: env.SPOTI_RECCOBEATS_URL }),
            })
          : musicBrainzProvider({
              ...common,
              ...mirrorSpacing(env.SPOTI_MUSICBRAINZ_URL, env),
              ...(env.SPOTI_MUSICBRAINZ_URL === undefined
                ? {}
                : { baseUrl: env.SPOTI_MUSICBRAINZ_URL }),
            }),
  );
}

/**
 * Enriches the tracks and artists of an import: audio features by Spotify id, genres by artist
 * name (artists with genres from `ownGenres` keep them). Service URLs and the User-Agent can be
 * set with `SPOTI_RECCOBEATS_URL`, `SPOTI_MUSICBRAINZ_URL`, `SPOTI_LASTFM_URL`, `SPOTI_DEEZER_URL`
 * and `SPOTI_USER_AGENT` (and, for those
 * URLs only, the request spacing with `SPOTI_ENRICH_MIN_INTERVAL_MS`). Progress goes to stderr;
 * a failing service only leaves its values to the genre estimates.
 */
export async function enrichPlays(
  plays: PlayIndex,
  settings: EnrichSettings,
  ownGenres: OwnGenres | undefined,
  io: { stderr: NodeJS.WritableStream },
  env: NodeJS.ProcessEnv,
): Promise<EnrichmentResult> {
  const providers = createProviders(settings, env);
  const tty = isTty(io.stderr);
  let drawn = false;
  const enricher = createEnricher({
    providers,
    cache: createFileCache({ dir: settings.cacheDir }),
    onProgress: (p) => {
      if (!tty) return;
      drawn = true;
      io.stderr.write(
        `\rEnriching ${p.kind} via ${p.provider}: ${int(p.done)}/${int(p.total)}        `,
      );
    },
    logger: { warn: () => {} },
  });
  const tracks = plays.tracks.flatMap((t) => (t.id === null ? [] : [{ id: t.id, name: t.name }]));
  const artists = plays.artists.map((a) => {
    const own = ownGenres?.({ name: a.name });
    return { name: a.name, ...(own === undefined ? {} : { genres: own }) };
  });
  try {
    const result = await enricher.enrich({ tracks, artists });
    if (drawn) io.stderr.write('\n');
    const { report } = result;
    const via = (kind: 'features' | 'genres') =>
      report.providers
        .filter((p) => p.kind === kind && p.found > 0)
        .map((p) => p.name)
        .join(', ') || 'no service';
    io.stderr.write(
      `enriched: audio features for ${int(report.tracks.withFeatures)} of ${int(report.tracks.total)} tracks (${via('features')}), genres for ${int(report.artists.withGenres)} of ${int(report.artists.total)} artists (${via('genres')})\n`,
    );
    for (const p of report.providers)
      if (p.failure !== undefined)
        io.stderr.write(
          `note: ${p.name} stopped answering (${p.failure.code}); the rest falls back to the next service or to genre estimates\n`,
        );
    return result;
  } catch (error) {
    if (drawn) io.stderr.write('\n');
    throw error;
  }
}

/** Genres by artist name from a `--genres` file, as `buildListeningProfile` takes them. */
export type OwnGenres = (artist: { name: string }) => readonly string[] | undefined;

/**
 * The music sources of a listening profile: the `--genres` file's genres, or, with `--enrich`,
 * the enriched audio features and genres (the file's genres win for the artists it names).
 * Spread the result into `buildListeningProfile`'s options.
 */
export async function profileSources(
  plays: PlayIndex,
  genres: ReadonlyMap<string, readonly string[]> | undefined,
  enrich: EnrichSettings | undefined,
  io: { stderr: NodeJS.WritableStream },
  env: NodeJS.ProcessEnv,
): Promise<Pick<ProfileOptions, 'features' | 'genresOf' | 'genresVia'>> {
  const ownGenres: OwnGenres | undefined =
    genres === undefined ? undefined : (artist) => genres.get(artist.name.toLowerCase());
  if (enrich === undefined) return ownGenres === undefined ? {} : { genresOf: ownGenres };
  const enriched = await enrichPlays(plays, enrich, ownGenres, io, env);
  return {
    features: enriched.features,
    genresOf: enriched.genresOf,
    ...(enriched.genresVia === undefined ? {} : { genresVia: enriched.genresVia }),
  };
}
