import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { JobDeps } from '../../jobs/deps.js';
import { createMediaRepository } from './media-repository.js';

/** The bitrates every song is transcoded to (Spotify's Normal, High and Very high). */
export const RENDITION_KBPS = [96, 160, 320] as const;

/** What one run of the renditions job did. */
export interface RenditionsResult {
  readonly songId: string;
  /** Bitrates transcoded in this run. */
  readonly made: readonly number[];
  /** Bitrates already current (made from the same original), left alone. */
  readonly kept: readonly number[];
  /** Set when there was nothing to do: no audio for the song. */
  readonly skipped?: 'no-audio';
}

/** Object key of a song's rendition at `kbps`. */
export function renditionKey(songId: string, kbps: number): string {
  return `media/audio/${songId}/r${kbps}.mp3`;
}

function run(file: string, args: readonly string[], signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { signal, maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else
        reject(
          new Error(`ffmpeg failed: ${String(stderr).trim().split('\n').slice(-3).join(' | ')}`, {
            cause: error,
          }),
        );
    });
  });
}

/**
 * Job `media-renditions`: makes the 96, 160 and 320 kbps MP3 renditions of a song's uploaded
 * original with ffmpeg and stores them beside it. Safe to repeat: a rendition already made from
 * the current original (same source ETag, object present) is kept; a run that races a new upload
 * writes rows tied to the old original, which are never served and are redone by the new upload's
 * own run.
 */
export async function mediaRenditionsJob(
  deps: JobDeps,
  input: { songId: string },
): Promise<RenditionsResult> {
  const media = deps.media;
  if (media === undefined) throw new Error('media-renditions needs object storage in its deps');
  const repository = createMediaRepository(deps.database.db as unknown as Kysely<unknown>);
  const audio = await repository.getAudio(input.songId);
  if (audio === null) return { songId: input.songId, made: [], kept: [], skipped: 'no-audio' };
  const existing = await repository.listAllRenditions(input.songId);
  const todo: number[] = [];
  const kept: number[] = [];
  for (const kbps of RENDITION_KBPS) {
    const row = existing.find((r) => r.kbps === kbps);
    const current =
      row !== undefined &&
      row.sourceEtag === audio.etag &&
      (await media.objects.head(row.objectKey))?.etag === row.etag;
    (current ? kept : todo).push(kbps);
  }
  if (todo.length === 0) return { songId: input.songId, made: [], kept };
  const dir = await mkdtemp(join(tmpdir(), 'spoti-renditions-'));
  try {
    const source = join(dir, 'original');
    const original = await media.objects.get(audio.objectKey);
    if (original === null) return { songId: input.songId, made: [], kept, skipped: 'no-audio' };
    await pipeline(original.body, createWriteStream(source));
    for (const kbps of todo) {
      deps.signal.throwIfAborted();
      const out = join(dir, `${kbps}.mp3`);
      await run(
        media.ffmpegPath,
        [
          '-nostdin',
          '-hide_banner',
          '-loglevel',
          'error',
          '-y',
          '-i',
          source,
          '-vn',
          '-map_metadata',
          '-1',
          '-c:a',
          'libmp3lame',
          '-b:a',
          `${kbps}k`,
          '-f',
          'mp3',
          out,
        ],
        deps.signal,
      );
      const key = renditionKey(input.songId, kbps);
      const stored = await media.objects.put(key, createReadStream(out), {
        contentType: 'audio/mpeg',
      });
      await repository.putRendition(
        {
          songId: input.songId,
          kbps: kbps as 96 | 160 | 320,
          objectKey: key,
          sizeBytes: stored.size,
          etag: stored.etag,
          sourceEtag: audio.etag,
        },
        audio.userId,
        deps.clock.now(),
      );
    }
    deps.logger.info({ songId: input.songId, made: todo }, 'renditions made');
    return { songId: input.songId, made: todo, kept };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
