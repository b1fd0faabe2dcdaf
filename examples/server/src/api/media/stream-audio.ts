import type { Request, Response } from 'express';
import type { Entitlements } from '@spoti/catalog';
import type { ObjectInfo, ObjectStore } from '../../storage/object-store.js';
import { ifRangeMatches, parseRange } from './byte-range.js';
import type { AudioRecord, RenditionRecord } from './media-repository.js';
import { MediaProblem } from './media-problem.js';

/** Which file answers a stream request, and at what quality. */
export interface StreamChoice {
  readonly objectKey: string;
  /** `96`, `160` or `320` for a rendition; `original` while renditions are missing. */
  readonly quality: '96' | '160' | '320' | 'original';
  /** The bitrate the plan allows (and the request asked for, capped). */
  readonly allowedKbps: 96 | 160 | 320;
}

/**
 * Picks the file to stream: the rendition at the wanted bitrate (the plan's best, or the asked
 * `quality` capped at it), else the best rendition below it, else the original (until the
 * renditions job has run). `original` is read only then: a current rendition implies its audio.
 * Null when the song has no audio.
 *
 * @example
 * ```ts
 * await chooseStream(renditions, entitlements, 320, () => media.getAudio(id)); // { quality: '160', ... } on Free
 * ```
 */
export async function chooseStream(
  renditions: readonly RenditionRecord[],
  entitlements: Pick<Entitlements, 'audioQualitiesKbps'>,
  asked: 96 | 160 | 320 | undefined,
  original: () => Promise<Pick<AudioRecord, 'objectKey'> | null>,
): Promise<StreamChoice | null> {
  const qualities = entitlements.audioQualitiesKbps;
  const best = qualities[qualities.length - 1] ?? 96;
  const allowedKbps = asked === undefined ? best : (Math.min(asked, best) as 96 | 160 | 320);
  const usable = renditions.filter((r) => r.kbps <= allowedKbps).sort((a, b) => b.kbps - a.kbps)[0];
  if (usable !== undefined) {
    return {
      objectKey: usable.objectKey,
      quality: String(usable.kbps) as StreamChoice['quality'],
      allowedKbps,
    };
  }
  const audio = await original();
  return audio === null ? null : { objectKey: audio.objectKey, quality: 'original', allowedKbps };
}

/**
 * Sends `key` from object storage with HTTP range support: `Accept-Ranges`, a strong `ETag`,
 * `Last-Modified`; `Range` answered 206 with `Content-Range` (one range: `a-b`, `a-`, `-n`),
 * 416 with `Content-Range: bytes *\/size` past the end; `If-Range` with a changed ETag or date
 * sends the whole file (200). HEAD sends the headers only.
 */
export async function sendObjectRange(
  req: Request,
  res: Response,
  objects: ObjectStore,
  key: string,
  headers: Readonly<Record<string, string>>,
): Promise<void> {
  const info: ObjectInfo | null = await objects.head(key);
  if (info === null) throw new MediaProblem('NO_AUDIO', 'The audio file is missing from storage');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', info.etag);
  res.setHeader('Last-Modified', new Date(info.updatedAt).toUTCString());
  res.setHeader('Content-Type', info.contentType);
  res.setHeader('Cache-Control', 'private, no-transform, max-age=0');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const ranged = ifRangeMatches(req.get('if-range'), info)
    ? parseRange(req.get('range'), info.size)
    : ({ kind: 'whole' } as const);
  if (ranged.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${info.size}`);
    throw new MediaProblem(
      'RANGE_NOT_SATISFIABLE',
      `The range ${req.get('range') ?? ''} lies outside the ${info.size} bytes of the file`,
    );
  }
  const range = ranged.kind === 'partial' ? ranged.range : undefined;
  const length = range === undefined ? info.size : range.end - range.start + 1;
  res.status(range === undefined ? 200 : 206);
  res.setHeader('Content-Length', String(length));
  if (range !== undefined)
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  const found = await objects.get(key, range);
  if (found === null) throw new MediaProblem('NO_AUDIO', 'The audio file is missing from storage');
  const body = found.body;
  res.on('close', () => body.destroy());
  await new Promise<void>((resolve) => {
    body.on('error', (err) => {
      req.log?.warn({ err }, 'audio stream failed');
      res.destroy();
      resolve();
    });
    body.on('end', resolve);
    res.on('close', resolve);
    body.pipe(res);
  });
}
