import type { Mailer } from '@spoti/releases';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SpotifyAccess } from './auth/spotify.js';
import { createTokenCipher, type TokenCipher } from './auth/token-cipher.js';
import type { ServerConfig } from './config.js';
import { openTrackEnrichment } from './jobs/enrichment.js';
import { ImportProgressHub } from './jobs/import-progress.js';
import { EnrichmentService } from './services/enrichment.js';
import { FaceService } from './services/face-service.js';
import {
  type MailRetry,
  openReleasesRuntime,
  type ReleasesRuntime,
} from './services/releases-service.js';
import { StatsService } from './services/stats-service.js';
import { type Database, openDatabase } from './storage/database.js';
import { createFaceRepository } from './storage/faces.js';
import { openObjectStore } from './storage/open-object-store.js';
import type { ObjectStore } from './storage/object-store.js';
import { createUserRepository, type UserRepository } from './storage/users.js';

/** What the services are opened with: Spotify, the time source, the log and the URLs. */
export interface ServiceBase {
  readonly spotify: SpotifyAccess;
  readonly clock: { now(): number };
  readonly logger: Logger;
  readonly publicUrl: () => string;
  readonly redirectUri: () => string;
  /** The studio's browser scripts, bundled while the database opens. */
  readonly scripts: Promise<unknown>;
  readonly releases?: {
    readonly mailRetry?: MailRetry;
    readonly wrapMailer?: (mailer: Mailer) => Mailer;
  };
}

/** The stores and services of one server process. */
export interface ServerServices {
  readonly database: Database;
  readonly redis: Redis | undefined;
  readonly objects: ObjectStore & { close(): void };
  readonly users: UserRepository;
  readonly enrichment: EnrichmentService | undefined;
  readonly stats: StatsService;
  readonly importProgress: ImportProgressHub;
  readonly cipher: TokenCipher;
  readonly faces: FaceService;
  readonly releases: ReleasesRuntime;
  readonly enrichTracks: Awaited<ReturnType<typeof openTrackEnrichment>> | undefined;
}

/** The database, or Spotify closed again when it cannot open. */
async function openDatabaseOrClose(
  config: ServerConfig,
  spotify: SpotifyAccess,
): Promise<Database> {
  try {
    return await openDatabase(config.database);
  } catch (error) {
    await spotify.close();
    throw error;
  }
}

/**
 * Opens the database, Redis, object storage and the services the routes and jobs share. When
 * something fails after the database opened, what was opened is closed again.
 */
export async function openServices(
  config: ServerConfig,
  base: ServiceBase,
): Promise<ServerServices> {
  const { spotify, clock, logger } = base;
  const mock = spotify.mock;
  const database = await openDatabaseOrClose(config, spotify);
  const redis =
    config.redisUrl === undefined
      ? undefined
      : new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  redis?.on('error', (err) => logger.warn({ err }, 'redis error'));
  const objects = openObjectStore(config.objects);
  const users = createUserRepository(database.db);
  const enrichment = await EnrichmentService.open(config.enrich, { logger, mock });
  const stats = new StatsService(database.catalog, database.db, 50, enrichment);
  const cipher = createTokenCipher(config.tokenKeys);
  const faces = new FaceService({
    database,
    faces: createFaceRepository(database.db),
    objects,
    spotify,
    cipher,
    clock,
    logger,
    redirectUri: base.redirectUri,
    regenerateLimit: config.faceRegeneratePerHour,
    regenerateWindowMs: 3_600_000,
    enricher: enrichment?.enricher,
  });
  try {
    await base.scripts;
  } catch (error) {
    await enrichment?.close();
    await database.close();
    await spotify.close();
    throw error;
  }
  const releases = await openReleasesRuntime({
    database,
    spotify,
    clock,
    logger,
    dataDir: config.dataDir,
    mail: config.mail,
    publicUrl: base.publicUrl,
    ...(base.releases?.mailRetry === undefined ? {} : { mailRetry: base.releases.mailRetry }),
    ...(base.releases?.wrapMailer === undefined ? {} : { wrapMailer: base.releases.wrapMailer }),
  });
  const enrichTracks = await openEnrichTracks(config, database, enrichment);
  const importProgress = new ImportProgressHub();
  return {
    database,
    redis,
    objects,
    users,
    enrichment,
    stats,
    importProgress,
    cipher,
    faces,
    releases,
    enrichTracks,
  };
}

/**
 * The background `enrich-tracks` job asks the audio-features service for new tracks, with its
 * answers cached in the database, when enrichment includes it.
 */
function openEnrichTracks(
  config: ServerConfig,
  database: Database,
  enrichment: EnrichmentService | undefined,
): Promise<ServerServices['enrichTracks']> {
  if (!config.enrich?.providers.includes('reccobeats')) return Promise.resolve(undefined);
  return openTrackEnrichment({
    db: database.db as unknown as Kysely<unknown>,
    userAgent: config.enrich.userAgent ?? 'spoti-example-server',
    reccoBeatsUrl: enrichment?.reccoBeatsUrl,
  });
}
