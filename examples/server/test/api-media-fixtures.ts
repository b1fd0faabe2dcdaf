import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import { AccountRepository } from '../src/api/storage/accounts.js';
import type { PlatformDatabase } from '../src/api/storage/platform-schema.js';
import type { RunningServer } from '../src/server.js';
import type { ApiClient } from './api-client.js';

const run = promisify(execFile);

/** Small audio and image files made by ffmpeg (a sine tone, a coloured square), never committed. */
export interface MediaFixtures {
  readonly mp3: Buffer;
  readonly wav: Buffer;
  readonly flac: Buffer;
  readonly ogg: Buffer;
  readonly m4a: Buffer;
  readonly png: Buffer;
  readonly jpeg: Buffer;
  /** Length of every audio fixture, in ms. */
  readonly durationMs: number;
}

/** Makes the fixtures with the system's ffmpeg (`FFMPEG_PATH`, default `ffmpeg`). */
export async function makeMediaFixtures(): Promise<MediaFixtures> {
  const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';
  const dir = await mkdtemp(join(tmpdir(), 'spoti-media-fixtures-'));
  try {
    const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=3:sample_rate=44100'];
    const make = async (name: string, args: string[]) => {
      await run(ffmpeg, [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        ...args,
        join(dir, name),
      ]);
      return readFile(join(dir, name));
    };
    const [mp3, wav, flac, ogg, m4a, png, jpeg] = await Promise.all([
      make('a.mp3', [...tone, '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '320k']),
      make('a.wav', [...tone, '-c:a', 'pcm_s16le']),
      make('a.flac', [...tone, '-c:a', 'flac']),
      make('a.ogg', [...tone, '-c:a', 'libvorbis']),
      make('a.m4a', [...tone, '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart']),
      make('a.png', ['-f', 'lavfi', '-i', 'color=c=0x1db954:s=64x48', '-frames:v', '1']),
      make('a.jpg', ['-f', 'lavfi', '-i', 'color=c=0x191414:s=80x80', '-frames:v', '1']),
    ]);
    return { mp3, wav, flac, ogg, m4a, png, jpeg, durationMs: 3000 } as MediaFixtures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A multipart form with one file part (and the fields given before it). */
export function fileForm(
  body: Buffer,
  options: { name?: string; type?: string; fields?: Record<string, string> } = {},
): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(options.fields ?? {})) form.append(k, v);
  form.append(
    'file',
    new Blob([new Uint8Array(body)], { type: options.type ?? 'application/octet-stream' }),
    options.name ?? 'upload.bin',
  );
  return form;
}

/** Turns an account into an artist with a catalog artist profile of its own. */
export async function makeArtist(server: RunningServer, accountId: string, artistId: string) {
  const ctx = server.context;
  const accounts = new AccountRepository(
    ctx.database.db as unknown as Kysely<PlatformDatabase>,
    ctx.clock,
  );
  await ctx.database.catalog.upsertArtists([
    {
      id: artistId,
      name: `Artist ${artistId}`,
      genres: ['pop'],
      ownerUserId: accountId,
      imageUrl: null,
      addedAt: ctx.clock.now(),
    },
  ]);
  await accounts.update(accountId, { role: 'artist', artistId });
}

/** Adds a song (and an album) owned by `artistId` to the catalog. */
export async function addSong(
  server: RunningServer,
  songId: string,
  artistId: string,
  visibility: 'public' | 'private' = 'public',
) {
  const catalog = server.context.database.catalog;
  const now = server.context.clock.now();
  await catalog.upsertAlbums([
    {
      id: `al-${songId}`,
      name: `Album of ${songId}`,
      type: 'single',
      artistIds: [artistId],
      releaseDate: '2026-01-01',
      releaseDatePrecision: 'day',
      upc: null,
      explicit: false,
      variantOfAlbumId: null,
      genres: ['pop'],
      label: null,
      imageUrl: null,
      totalTracks: 1,
      addedAt: now,
    },
  ]);
  await catalog.upsertTracks([
    {
      id: songId,
      name: `Song ${songId}`,
      albumId: `al-${songId}`,
      artistIds: [artistId],
      ownerArtistId: artistId,
      durationMs: 0,
      isrc: null,
      explicit: false,
      visibility,
      discNumber: 1,
      trackNumber: 1,
      addedAt: now,
    },
  ]);
}

const ajv = new Ajv2020({ strict: false, allErrors: true });

/**
 * Checks a raw answer against the OpenAPI document: the operation exists, the status is
 * documented with this media type, and a JSON body matches its schema.
 */
export async function expectDocumented(
  api: ApiClient,
  method: string,
  template: string,
  response: Response,
  body: string | Buffer,
): Promise<void> {
  const doc = (await api.document()) as unknown as {
    paths: Record<
      string,
      Record<
        string,
        { responses: Record<string, { content?: Record<string, { schema: object }> }> }
      >
    >;
  };
  const operation = doc.paths[template]?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is documented`).toBeDefined();
  const documented = operation?.responses[String(response.status)];
  expect(documented, `${method} ${template} documents ${response.status}`).toBeDefined();
  const type = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
  const content = documented?.content;
  if (content === undefined) return;
  if (type.startsWith('audio/') || type.startsWith('image/')) {
    expect(Object.keys(content).some((t) => t.split('/')[0] === type.split('/')[0])).toBe(true);
    return;
  }
  const media = content[type];
  expect(media, `${method} ${template} ${response.status} documents ${type}`).toBeDefined();
  const validate = ajv.compile(media?.schema ?? {});
  const parsed = JSON.parse(body.toString());
  expect(
    validate(parsed),
    `${ajv.errorsText(validate.errors)}\n${body.toString().slice(0, 300)}`,
  ).toBe(true);
}
