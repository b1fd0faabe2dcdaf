import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildListeningProfile,
  importSpotifyExport,
  isAnalyticsError,
  type ListeningProfile,
  type PeriodSpec,
} from '@spoti/analytics';
import {
  DEFAULT_CATALOGUE,
  DEFAULT_RANGES,
  type Face,
  PARAM_KEYS,
  PARAM_NAMES,
  type FacePins,
  isFaceError,
  mapFace,
  toFaceString,
  toNotionFaceUrl,
  toParamKey,
} from '@spoti/face';
import type { FaceImageFormat } from '@spoti/face/render';
import { isEnrichError } from '@spoti/enrich';
import {
  ENRICH_ARGS,
  ENRICH_USAGE,
  type EnrichSettings,
  parseEnrichSettings,
  profileSources,
} from '../internal/enrichment.js';
import { loadGenres } from '../internal/genres.js';
import { UsageError, writeWarnings } from '../internal/io.js';
import { parsePeriod } from '../internal/period.js';

/** Usage text of `spoti face`. */
export const FACE_USAGE = `Usage: spoti face <my_spotify_data.zip | folder | file.json> --out <me.png> [options]

Turns your Spotify data export into a Notion-style face, explains every feature, and renders it.

Options:
  --out <file>         where to write the image (required)
  --period <p>         short_term | medium_term | long_term | all (default) | 2025 |
                       2025-01-01..2025-06-30 (local dates, both included)
  --pin <k=v>          fix a parameter, e.g. --pin s=3 or --pin hair=locs (repeatable);
                       a number is the one in the Notion face string: s=3 is s3, which is
                       skin tone-3 (tones run 0 lightest to 5 deepest), as is skin=tone-3
  --format <f>         png (default) | webp | avif
  --banner             a 1500x500 banner instead of the 1024x1024 square
  --no-overlay         the face alone, without the statistics card
  --name <name>        name shown on the card (default: "You")
  --date <YYYY-MM-DD>  generation date shown on the card (default: today)
  --watermark <text>   small text in the corner
  --tz <zone>          IANA time zone for hours and days (default: this computer's)
  --genres <file>      JSON object mapping artist names to genre lists
${ENRICH_USAGE}  --json               print the face (parameters, reasons, URL) as JSON
  --strict             stop at the first malformed row instead of skipping it
  -h, --help           show this help
`;

function parsePins(values: readonly string[]): FacePins {
  const pins: Record<string, number | string> = {};
  for (const text of values) {
    const match = /^([a-z]+)=([a-z0-9-]+)$/.exec(text);
    if (match === null)
      throw new UsageError(`invalid --pin ${JSON.stringify(text)}; expected e.g. s=3 or hair=locs`);
    const [, name, value] = match as unknown as [string, string, string];
    const key = toParamKey(name);
    if (key === null)
      throw new UsageError(
        `invalid --pin ${JSON.stringify(text)}: unknown parameter (use ${PARAM_KEYS.join(', ')} or their names)`,
      );
    if (/^\d+$/.test(value)) {
      const { min, max } = DEFAULT_RANGES[key];
      const index = Number(value);
      if (index < min || index > max)
        throw new UsageError(
          `invalid --pin ${JSON.stringify(text)}: ${PARAM_NAMES[key]} must be ${min}..${max}`,
        );
      pins[key] = index;
    } else {
      const tags = DEFAULT_CATALOGUE[key].map((o) => o.tag);
      if (!tags.includes(value))
        throw new UsageError(
          `invalid --pin ${JSON.stringify(text)}: ${PARAM_NAMES[key]} is one of ${tags.join(', ')}`,
        );
      pins[key] = value;
    }
  }
  return pins;
}

function inferFormat(out: string, format: string | undefined): FaceImageFormat {
  const extension = /\.([a-z0-9]+)$/i.exec(out)?.[1]?.toLowerCase();
  const value = format ?? extension ?? 'png';
  if (value !== 'png' && value !== 'webp' && value !== 'avif')
    throw new UsageError(
      format === undefined
        ? `cannot write a .${value} file; name --out *.png, *.webp or *.avif, or pass --format`
        : `invalid --format ${JSON.stringify(value)}; expected png, webp or avif`,
    );
  return value;
}

/** The arguments of `spoti face`, checked. */
interface FaceArgs {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly exportPath: string;
  readonly out: string;
  readonly period: PeriodSpec;
  readonly pins: FacePins;
  readonly format: FaceImageFormat;
  readonly genres: Map<string, readonly string[]> | undefined;
  readonly enrich: EnrichSettings | undefined;
}

/** Parses and checks the arguments; `'help'` for `--help`. Throws a `UsageError` naming the fault. */
async function parseFaceArgs(argv: readonly string[]): Promise<FaceArgs | 'help'> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string', short: 'o' },
      period: { type: 'string' },
      pin: { type: 'string', multiple: true },
      format: { type: 'string' },
      banner: { type: 'boolean' },
      'no-overlay': { type: 'boolean' },
      name: { type: 'string' },
      date: { type: 'string' },
      watermark: { type: 'string' },
      tz: { type: 'string' },
      genres: { type: 'string' },
      ...ENRICH_ARGS,
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  if (positionals.length !== 1) throw new UsageError('expected exactly one export path');
  if (typeof values.out !== 'string') throw new UsageError('--out <file> is required');
  if (typeof values.date === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(values.date))
    throw new UsageError(`invalid --date ${JSON.stringify(values.date)}; expected YYYY-MM-DD`);
  return {
    values,
    exportPath: positionals[0] as string,
    out: values.out,
    period: parsePeriod(values.period as string | undefined),
    pins: parsePins((values.pin as string[] | undefined) ?? []),
    format: inferFormat(values.out, values.format as string | undefined),
    genres: typeof values.genres === 'string' ? await loadGenres(values.genres) : undefined,
    enrich: parseEnrichSettings(values, process.env),
  };
}

/** Renders the face as the arguments ask (the renderer loads only when a face is drawn). */
async function drawFace(args: FaceArgs, face: Face, profile: ListeningProfile) {
  const { values } = args;
  const { renderFace, statsFromProfile } = await import('@spoti/face/render');
  const generatedAt = (values.date as string | undefined) ?? new Date().toISOString().slice(0, 10);
  const stats =
    values['no-overlay'] === true
      ? null
      : statsFromProfile(profile, {
          userName: (values.name as string | undefined) ?? 'You',
          generatedAt: `${generatedAt}T00:00:00Z`,
        });
  return renderFace(face, {
    layout: values.banner === true ? 'banner' : 'square',
    format: args.format,
    stats,
    ...(typeof values.watermark === 'string' ? { watermark: values.watermark } : {}),
  });
}

/** What `spoti face` prints: the file, the link and every feature's reason (or JSON). */
function describeFace(
  args: FaceArgs,
  out: string,
  face: Face,
  profile: ListeningProfile,
  image: { width: number; height: number; contentHash: string },
  plays: number,
): string {
  if (args.values.json === true)
    return `${JSON.stringify({ file: out, url: toNotionFaceUrl(face), face: toFaceString(face), contentHash: image.contentHash, mappingVersion: face.mappingVersion, params: face.params }, null, 2)}\n`;
  const lines = [
    `Wrote ${out} (${image.width}x${image.height} ${args.format}, ${profile.period.label}, ${plays} plays)`,
    `Notion Faces: ${toNotionFaceUrl(face)}`,
    '',
    ...PARAM_KEYS.map((key) => {
      const p = face.params[key];
      return `  ${p.name.padEnd(11)} ${p.tag.padEnd(13)} ${p.reason}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `spoti face <export> --out me.png [--period ...] [--pin s=3] [--format png|webp|avif] [--banner]
 * [--no-overlay]`: imports a Spotify data export, computes the listening profile, maps it to a
 * face, writes the image and prints the Notion Faces link and the reason for every feature.
 * Returns 0 on success, 1 when the export or the face fails, 2 on bad usage.
 *
 * @example
 * ```ts
 * process.exitCode = await runFaceCommand(['my_spotify_data.zip', '--out', 'me.png'], process);
 * ```
 */
export async function runFaceCommand(
  argv: readonly string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  let args: FaceArgs | 'help';
  try {
    args = await parseFaceArgs(argv);
  } catch (error) {
    io.stderr.write(
      `spoti face: ${error instanceof Error ? error.message : String(error)}\n\n${FACE_USAGE}`,
    );
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(FACE_USAGE);
    return 0;
  }
  const timeZone =
    (args.values.tz as string | undefined) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const out = resolve(args.out);
  try {
    const imported = await importSpotifyExport(args.exportPath, {
      userId: 'export',
      strict: args.values.strict === true,
    });
    const sources = await profileSources(imported.plays, args.genres, args.enrich, io, process.env);
    const { profile } = buildListeningProfile(imported.plays, {
      timeZone,
      period: args.period,
      topLimit: 3,
      ...sources,
    });
    const face = mapFace(profile, { pins: args.pins });
    const image = await drawFace(args, face, profile);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, image.data);
    io.stdout.write(describeFace(args, out, face, profile, image, imported.plays.size));
    if (profile.topGenre === null && args.genres === undefined && args.enrich === undefined)
      io.stderr.write(
        'note: a data export has no genres; pass --enrich (or --genres <file>, artist name -> genres) so hair, nose and the audio signals reflect your music\n',
      );
    writeWarnings(io.stderr, imported);
    return 0;
  } catch (error) {
    if (isAnalyticsError(error) || isFaceError(error) || isEnrichError(error)) {
      io.stderr.write(`spoti face: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
