import { createHash, randomBytes } from 'node:crypto';
import { isSpotifyRateLimitError } from '@spoti/client';
import {
  DEFAULT_CATALOGUE,
  type Face,
  type ListeningProfile,
  PARAM_KEYS,
  PARAM_NAMES,
  type ParamKey,
  faceFromParams,
  mapFace,
  parseFaceString,
  toFaceString,
  varyFace,
} from '@spoti/face';
import { type FaceStats, renderFace, statsFromProfile, toNotionistsSvg } from '@spoti/face/render';
import { type ProfileEnricher, collectListeningProfile, isSyncError } from '@spoti/sync';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { SpotifyAccess } from '../auth/spotify.js';
import type { TokenCipher } from '../auth/token-cipher.js';
import { ServerError } from '../server-error.js';
import type { Database } from '../storage/database.js';
import type { FaceChoices, FaceImage, FaceRepository, StoredFace } from '../storage/faces.js';
import { type FaceCacheStore, createFaceCacheStore } from '../storage/faces-cache.js';
import type { ObjectStore } from '../storage/object-store.js';
import { DbTokenStore } from '../storage/tokens.js';
import type { ServerUser } from '../storage/users.js';
import { type PeriodChoice, periodKey, periodSpec } from './period.js';

/** The profile behind a studio page, and how fresh it is. */
export interface StudioProfile {
  readonly profile: ListeningProfile;
  /** When it was collected (Unix ms). */
  readonly collectedAt: number;
  /** Web API calls its collection made (0 when Spotify's part came from the cache). */
  readonly calls: number;
  /**
   * Set when Spotify refused more calls (rate limit or daily quota) and this is the last profile
   * collected for the period: when Spotify allows more (Unix ms), if it said.
   */
  readonly blocked: { readonly resumeAt: number | null } | null;
}

/** Options of {@link FaceService}. */
export interface FaceServiceOptions {
  readonly database: Database;
  readonly faces: FaceRepository;
  readonly objects: ObjectStore;
  readonly spotify: SpotifyAccess;
  readonly cipher: TokenCipher;
  readonly clock: { now(): number };
  readonly logger: Logger;
  readonly redirectUri: () => string;
  /** Regenerations (fresh profile, new variation, kept faces) a user may start per window. */
  readonly regenerateLimit: number;
  /** The window of `regenerateLimit`, ms. */
  readonly regenerateWindowMs: number;
  /** How long a collected profile is reused (a sync or an import makes it stale sooner), ms. */
  readonly profileTtlMs?: number;
  /** Features and genres beyond Spotify (`ENRICH_PROVIDERS`), or undefined when off. */
  readonly enricher?: ProfileEnricher | undefined;
}

/** Allowed pin values of one parameter: `auto` (unpinned) or a meaning tag of the catalogue. */
export function allowedPins(key: ParamKey): readonly string[] {
  return DEFAULT_CATALOGUE[key].map((o) => o.tag);
}

/**
 * Parses pins from a form or JSON body: `pin_<letter>` or `<name>` fields, each `auto` or a tag
 * of the catalogue. Unknown values are refused naming the allowed ones.
 *
 * @throws ServerError `INVALID_INPUT` naming the parameter and its allowed values.
 */
export function parsePins(body: Readonly<Record<string, unknown>>): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const key of PARAM_KEYS) {
    const raw = body[`pin_${key}`] ?? body[PARAM_NAMES[key]];
    if (raw === undefined || raw === '' || raw === 'auto') continue;
    const allowed = allowedPins(key);
    if (typeof raw !== 'string' || !allowed.includes(raw)) {
      throw new ServerError(
        'INVALID_INPUT',
        `${PARAM_NAMES[key]} cannot be pinned to "${String(raw).slice(0, 40)}": use auto or one of ${allowed.join(', ')}`,
      );
    }
    pins[key] = raw;
  }
  return pins;
}

/** A hash of everything that decides an image's bytes. */
export function imageHash(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40);
}

const IMAGE_TYPES = { png: 'image/png', webp: 'image/webp' } as const;

/**
 * The face studio: profiles per user and period (collected with `collectListeningProfile` and
 * cached in the database until their TTL passes or a sync or import brings new plays), the face
 * they map to with the user's pins and variation, rendered images in object storage addressed by
 * a hash of parameters and overlay data, and the per-user regeneration limit (in the database
 * too, so every process and worker shares it and a restart keeps it).
 */
export class FaceService {
  readonly #cache: FaceCacheStore;
  /** Collections under way in this process, so concurrent views of one period share one. */
  readonly #collecting = new Map<string, Promise<StudioProfile>>();
  readonly #renders = new Map<string, Promise<void>>();
  readonly #art = new Map<string, string>();

  constructor(private readonly options: FaceServiceOptions) {
    this.#cache = createFaceCacheStore(options.database.db as unknown as Kysely<unknown>);
  }

  /** The studio's tables. */
  get repository(): FaceRepository {
    return this.options.faces;
  }

  /** The user's pins and variation seed. */
  choices(userId: string): Promise<FaceChoices> {
    return this.options.faces.getChoices(userId);
  }

  /** Stores the user's pins and seed. */
  async setChoices(userId: string, choices: FaceChoices): Promise<void> {
    await this.options.faces.setChoices(userId, choices, this.options.clock.now());
  }

  /**
   * Makes the user's cached profiles stale (new plays arrived, or the account is deleted); with
   * `sources`, also drops the Web API part, so the next profile asks Spotify again. Never
   * rejects: a failure is logged (the profiles then stay cached until their TTL).
   */
  async invalidate(userId: string, options: { sources?: boolean } = {}): Promise<void> {
    try {
      await this.#cache.markStale(userId);
      if (options.sources === true) await this.#cache.sources.delete(userId);
    } catch (error) {
      this.options.logger.warn({ userId, err: error }, 'face profile cache not invalidated');
    }
  }

  /**
   * The user's profile for a period: the cached one while fresh (younger than the TTL, same
   * time zone, no sync since); otherwise collected from the Web API (8 calls cold on a
   * Development Mode app, 0 within the sources cache's lifetime) and the stored plays. When
   * Spotify refuses (rate limit, quota), the last profile collected for the period is returned
   * with `blocked.resumeAt`; with none, the refusal is thrown.
   */
  async profile(user: ServerUser, choice: PeriodChoice): Promise<StudioProfile> {
    const period = periodKey(choice);
    const ttl = this.options.profileTtlMs ?? 15 * 60_000;
    const now = this.options.clock.now();
    const hit = await this.#cache.freshProfile(user.id, period, user.timeZone, now - ttl);
    if (hit !== null) {
      return {
        profile: hit.profile as ListeningProfile,
        collectedAt: hit.collectedAt,
        calls: 0,
        blocked: null,
      };
    }
    const key = `${user.id}|${period}|${user.timeZone}`;
    let loading = this.#collecting.get(key);
    if (loading === undefined) {
      loading = this.#collect(user, choice);
      this.#collecting.set(key, loading);
      const done = () => this.#collecting.delete(key);
      loading.then(done, done);
    }
    return loading;
  }

  async #collect(user: ServerUser, choice: PeriodChoice): Promise<StudioProfile> {
    const now = this.options.clock.now();
    const tokens = new DbTokenStore(this.options.database.db, this.options.cipher, user.id, () =>
      this.options.clock.now(),
    );
    const client = this.options.spotify.clientFor(tokens, this.options.redirectUri());
    const period = periodKey(choice);
    try {
      const generation = await this.#cache.generation(user.id);
      const collected = await collectListeningProfile({
        client,
        store: this.options.database.catalog,
        userId: user.id,
        timeZone: user.timeZone,
        period: periodSpec(choice),
        now,
        cache: this.#cache.sources,
        enricher: this.options.enricher,
      });
      await this.#cache.saveProfile(user.id, {
        period,
        timeZone: user.timeZone,
        generation,
        profile: collected.profile,
        collectedAt: now,
      });
      return {
        profile: collected.profile,
        collectedAt: now,
        calls: collected.calls,
        blocked: null,
      };
    } catch (error) {
      const cause = isSyncError(error) ? error.cause : error;
      const limited = isSpotifyRateLimitError(error)
        ? error
        : isSpotifyRateLimitError(cause)
          ? cause
          : null;
      if (limited === null) {
        if (isSyncError(error) && error.code === 'INVALID_OPTIONS') {
          throw new ServerError('INVALID_INPUT', error.message, { cause: error });
        }
        throw error;
      }
      const last = await this.#cache.lastProfile(user.id, period);
      this.options.logger.info(
        { userId: user.id, resumeAt: limited.resumeAt },
        'spotify refused a profile: showing the last one',
      );
      if (last === null) {
        throw new ServerError(
          'RATE_LIMITED',
          `Spotify allows no more requests for your account right now${resumeText(limited.resumeAt)}. There is no earlier face for this period yet.`,
          { cause: error },
        );
      }
      return {
        profile: last.profile as ListeningProfile,
        collectedAt: last.collectedAt,
        calls: 0,
        blocked: { resumeAt: Number.isFinite(limited.resumeAt) ? limited.resumeAt : null },
      };
    } finally {
      await client.close().catch(() => undefined);
    }
  }

  /** The face of a profile with the user's pins and variation: `mapFace`, then `varyFace`. */
  faceOf(profile: ListeningProfile, choices: FaceChoices): Face {
    const face = mapFace(profile, { pins: choices.pins });
    return choices.seed === null ? face : varyFace(face, choices.seed);
  }

  /**
   * Counts a regeneration against the user's limit (shared by every process).
   *
   * @throws ServerError `RATE_LIMITED` saying when the next one is possible.
   */
  async useRegeneration(userId: string): Promise<void> {
    const now = this.options.clock.now();
    const window = this.options.regenerateWindowMs;
    const answer = await this.#cache.useRegeneration(
      userId,
      now,
      this.options.regenerateLimit,
      window,
    );
    if (answer.allowed) return;
    throw new ServerError(
      'RATE_LIMITED',
      `You made ${answer.used} new faces in the last ${Math.round(window / 60_000)} minutes, the most allowed: try again in ${Math.max(1, Math.ceil((answer.nextAt - now) / 60_000))} minute(s).`,
    );
  }

  /** A fresh variation seed. */
  newSeed(): string {
    return randomBytes(6).toString('hex');
  }

  /** The Notionists SVG of a face string (the studio's preview; the same art as downloads). */
  artSvg(faceString: string): string {
    const hit = this.#art.get(faceString);
    if (hit !== undefined) return hit;
    let params: ReturnType<typeof parseFaceString>;
    try {
      params = parseFaceString(faceString);
    } catch (error) {
      throw new ServerError('INVALID_INPUT', (error as Error).message, { cause: error });
    }
    const svg = toNotionistsSvg(faceFromParams(params), { size: 400 });
    if (this.#art.size > 500) this.#art.clear();
    this.#art.set(faceString, svg);
    return svg;
  }

  /** The overlay data of a profile: name, date, period, top three artists, hours, top genre. */
  overlayOf(user: ServerUser, profile: ListeningProfile): FaceStats {
    return statsFromProfile(profile, {
      userName: user.displayName,
      generatedAt: new Date(this.options.clock.now()),
    });
  }

  /**
   * Renders (once) and stores an image of a face; the object key is a hash of the parameters
   * and the overlay data, so the same face gives the same key and bytes.
   */
  async image(
    userId: string,
    face: Face,
    stats: FaceStats | null,
    spec: { layout: 'square' | 'banner'; format: 'png' | 'webp' },
  ): Promise<FaceImage> {
    const faceString = toFaceString(face);
    const hash = imageHash({ v: 1, faceString, layout: spec.layout, format: spec.format, stats });
    const key = objectKey(userId, hash, spec.format);
    let pending = this.#renders.get(key);
    if (pending === undefined) {
      pending = (async () => {
        if ((await this.options.objects.head(key)) !== null) return;
        const rendered = await renderFace(face, {
          layout: spec.layout,
          format: spec.format,
          stats,
        });
        await this.options.objects.put(key, rendered.data, { contentType: rendered.mimeType });
      })();
      this.#renders.set(key, pending);
      pending.finally(() => this.#renders.delete(key)).catch(() => undefined);
    }
    await pending;
    return { layout: spec.layout, format: spec.format, overlay: stats !== null, hash };
  }

  /** The banner of a shared face with its overlay, from what the gallery kept. */
  sharedBanner(face: StoredFace, ownerName: string): Promise<FaceImage> {
    const stats: FaceStats = {
      userName: ownerName,
      generatedAt: new Date(face.createdAt).toISOString().slice(0, 10),
      period: face.periodLabel,
      listTitle: 'Top artists',
      top: [...face.summary.topArtists],
      hours: face.summary.hours,
      topGenre: face.summary.topGenre,
    };
    return this.image(face.userId, face.face as Face, stats, { layout: 'banner', format: 'png' });
  }

  /**
   * Keeps a face in the gallery with one rendered image; a retry of the same face and overlay
   * data returns the face already kept.
   */
  async keep(
    user: ServerUser,
    choice: PeriodChoice,
    periodLabel: string,
    face: Face,
    profile: ListeningProfile,
    image: FaceImage,
  ): Promise<StoredFace> {
    const faceString = toFaceString(face);
    const day = new Date(this.options.clock.now()).toISOString().slice(0, 10);
    return this.options.faces.keep(
      {
        userId: user.id,
        contentHash: imageHash({
          v: 1,
          faceString,
          period: periodKey(choice),
          day,
          reasons: reasonsOf(face),
        }),
        period: periodKey(choice),
        periodLabel,
        faceString,
        face,
        summary: {
          plays: profile.totals.plays,
          hours: Math.round(profile.totals.msPlayed / 3_600_000),
          topArtists: profile.topArtists.slice(0, 3).map((a) => a.name),
          topGenre: profile.topGenre?.name ?? null,
        },
        createdAt: this.options.clock.now(),
      },
      image,
    );
  }

  /** Reads a stored image of the user, or null. */
  readImage(userId: string, file: string) {
    const match = /^([0-9a-f]{40})\.(png|webp)$/.exec(file);
    if (match === null) return Promise.resolve(null);
    return this.options.objects.get(objectKey(userId, match[1] as string, match[2] as 'png'));
  }

  /** A new unguessable slug for a shared page. */
  newSlug(): string {
    return randomBytes(16).toString('base64url');
  }

  /** Deletes the images of a deleted face that no other kept face of the user shows. */
  async deleteImagesOf(userId: string, face: StoredFace): Promise<void> {
    const kept = new Set(
      (await this.options.faces.list(userId, 10_000)).flatMap((f) => f.images.map((i) => i.hash)),
    );
    for (const image of face.images) {
      if (!kept.has(image.hash))
        await this.options.objects.delete(objectKey(userId, image.hash, image.format));
    }
  }

  /** Deletes every image of the user from object storage (account deletion). */
  async deleteUserObjects(userId: string): Promise<number> {
    let n = 0;
    for await (const info of this.options.objects.list(`faces/${userId}/`)) {
      await this.options.objects.delete(info.key);
      n++;
    }
    return n;
  }

  /** The MIME type of a stored image format. */
  static mimeOf(format: 'png' | 'webp'): string {
    return IMAGE_TYPES[format];
  }
}

function objectKey(userId: string, hash: string, format: 'png' | 'webp'): string {
  return `faces/${userId}/${hash}.${format}`;
}

function reasonsOf(face: Face): string[] {
  return PARAM_KEYS.map((k) => face.params[k].reason);
}

function resumeText(resumeAt: number): string {
  return Number.isFinite(resumeAt)
    ? ` (until ${new Date(resumeAt).toISOString().slice(0, 16).replace('T', ' ')} UTC)`
    : '';
}
