import {
  type EnrichmentProvider,
  createEnricher,
  deezerProvider,
  lastFmProvider,
  musicBrainzProvider,
  reccoBeatsProvider,
} from '@spoti/enrich';
import { type MockServer, startProviderMocks } from '@spoti/mock';
import type { ProfileEnricher } from '@spoti/sync';
import type { Logger } from 'pino';
import type { EnrichConfig } from '../config.js';

/** Artists of one dashboard load still without genres, asked for in the background. */
const BACKGROUND_ARTISTS = 200;

/**
 * Enrichment of the server (`@spoti/enrich`), when `ENRICH_PROVIDERS` names services: the
 * enricher the studio's profiles use, and genres for the dashboard. Every answer is cached by the
 * enricher, so a track or artist is asked for once per process; the genres found are remembered
 * by artist name for the dashboard, which asks for the rest in the background.
 */
export class EnrichmentService {
  readonly #known = new Map<string, readonly string[]>();
  readonly #pending = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  /** Where the audio-features service answers (its local stand-in in embedded mode). */
  reccoBeatsUrl: string | undefined;

  private constructor(
    /** The enricher handed to `collectListeningProfile`. */
    readonly enricher: ProfileEnricher,
    /** Names of the services, in order. */
    readonly services: readonly string[],
    private readonly logger: Logger,
    private readonly closeStandIns: () => Promise<void>,
  ) {}

  /**
   * Creates the service, or undefined when enrichment is off. With `mock`, the services are
   * `@spoti/mock`'s local stand-ins serving the embedded Spotify's world.
   */
  static async open(
    config: EnrichConfig | undefined,
    options: { logger: Logger; mock: MockServer | undefined },
  ): Promise<EnrichmentService | undefined> {
    if (config === undefined) return undefined;
    const standIns =
      config.mock && options.mock !== undefined
        ? await startProviderMocks({ world: options.mock.world })
        : undefined;
    const http = (baseUrl: string | undefined) => ({
      ...(baseUrl === undefined ? {} : { baseUrl }),
      ...(config.userAgent === undefined ? {} : { userAgent: config.userAgent }),
    });
    const providers: EnrichmentProvider[] = config.providers.map((name) => {
      switch (name) {
        case 'reccobeats':
          return reccoBeatsProvider(http(standIns?.reccoBeatsUrl));
        case 'musicbrainz':
          return musicBrainzProvider(http(standIns?.musicBrainzUrl));
        case 'deezer':
          return deezerProvider(http(standIns?.deezerUrl));
        case 'lastfm':
          return lastFmProvider({
            ...http(standIns?.lastFmUrl),
            apiKey: config.lastFmApiKey ?? '',
          });
      }
      throw new Error(`unknown enrichment provider ${String(name)}`);
    });
    const logger = options.logger.child({ part: 'enrich' });
    const enricher = createEnricher({ providers, logger: { warn: (m) => logger.warn(m) } });
    const service: EnrichmentService = new EnrichmentService(
      {
        enrich: async (input, opts) => {
          const artists = [...input.artists];
          const result = await enricher.enrich({ tracks: input.tracks, artists }, opts);
          service.#remember(artists, result.genresOf);
          return result;
        },
      },
      config.providers,
      logger,
      async () => {
        await standIns?.close();
      },
    );
    service.reccoBeatsUrl = standIns?.reccoBeatsUrl;
    return service;
  }

  #remember(
    artists: readonly { readonly name: string }[],
    genresOf: (a: { name: string }) => readonly string[] | undefined,
  ): void {
    for (const a of artists) {
      const found = genresOf(a);
      if (found !== undefined && found.length > 0) this.#known.set(a.name, found);
    }
  }

  /** Genres the services gave for an artist name so far. */
  genresOf(name: string): readonly string[] | undefined {
    return this.#known.get(name);
  }

  /**
   * Asks the services for the genres of these artists in the background (one batch at a time,
   * under each service's limits), then calls `onDone` so cached statistics can be recomputed.
   */
  requestGenres(artists: readonly { id: string; name: string }[], onDone: () => void): void {
    const wanted = artists
      .filter((a) => !this.#known.has(a.name) && !this.#pending.has(a.name))
      .slice(0, BACKGROUND_ARTISTS);
    if (wanted.length === 0) return;
    for (const a of wanted) this.#pending.add(a.name);
    this.#queue = this.#queue
      .then(() => this.enricher.enrich({ tracks: [], artists: wanted }))
      .then(
        () => onDone(),
        (err: unknown) => this.logger.warn({ err }, 'background genre enrichment failed'),
      )
      .finally(() => {
        for (const a of wanted) this.#pending.delete(a.name);
      });
  }

  /** Waits for background work (tests, shutdown). */
  async idle(): Promise<void> {
    await this.#queue;
  }

  /** Stops the local stand-ins, if any. */
  async close(): Promise<void> {
    await this.#queue.catch(() => undefined);
    await this.closeStandIns();
  }
}
