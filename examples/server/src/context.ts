import type { Logger } from 'pino';
import type { SpotifyAccess } from './auth/spotify.js';
import type { TokenCipher } from './auth/token-cipher.js';
import type { ServerConfig } from './config.js';
import type { ImportProgressHub } from './jobs/import-progress.js';
import type { EnrichmentService } from './services/enrichment.js';
import type { FaceService } from './services/face-service.js';
import type { EmbeddedJobs } from './runner/embedded-jobs.js';
import type { InProcessRunner } from './runner/in-process-runner.js';
import type { ReleasesRuntime } from './services/releases-service.js';
import type { StatsService } from './services/stats-service.js';
import type { TrendsService } from './services/trends-service.js';
import type { Database } from './storage/database.js';
import type { ImportJobRepository } from './storage/import-jobs.js';
import type { ObjectStore } from './storage/object-store.js';
import type { UserRepository } from './storage/users.js';

/** What routes are handed: the services of one running server. */
export interface AppContext {
  readonly config: ServerConfig;
  readonly database: Database;
  readonly users: UserRepository;
  readonly importJobs: ImportJobRepository;
  readonly runner: InProcessRunner;
  readonly stats: StatsService;
  readonly trends: TrendsService;
  readonly spotify: SpotifyAccess;
  readonly cipher: TokenCipher;
  readonly importProgress: ImportProgressHub;
  readonly clock: { now(): number };
  readonly logger: Logger;
  /** The base URL users reach the server at (known once it listens). */
  publicUrl(): string;
  /** The exact redirect URI sent to Spotify. */
  redirectUri(): string;
  /** Open server-sent-event responses, ended at shutdown. */
  readonly openStreams: Set<{ end(): void }>;
  /** Where uploads are written before import. */
  readonly uploadDir: string;
  /** Rendered images, uploaded media and backups. */
  readonly objects: ObjectStore;
  /** The face studio: profiles, faces, images and the gallery. */
  readonly faces: FaceService;
  /** Enrichment beyond Spotify (`ENRICH_PROVIDERS`), or undefined when off. */
  readonly enrichment: EnrichmentService | undefined;
  /** Release mails: watcher, mailer (SMTP or the `.eml` outbox), link key. */
  readonly releases: ReleasesRuntime;
  /** The scheduler and job queue in this process (`JOBS=embedded`, the default). */
  readonly jobs?: EmbeddedJobs | undefined;
}
