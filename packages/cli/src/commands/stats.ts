import { parseArgs } from 'node:util';
import {
  buildListeningProfile,
  importSpotifyExport,
  isAnalyticsError,
  type PeriodSpec,
  STATS_TABLES,
  type StatsTable,
  statsToCsv,
} from '@spoti/analytics';
import { loadGenres } from '../internal/genres.js';
import { type CommandIo, isTty, UsageError, writeWarnings } from '../internal/io.js';
import { parsePeriod } from '../internal/period.js';
import { ProgressBar } from '../internal/progress-bar.js';
import { summary } from '../internal/stats-summary.js';
import { isEnrichError } from '@spoti/enrich';
import {
  ENRICH_ARGS,
  ENRICH_USAGE,
  type EnrichSettings,
  parseEnrichSettings,
  profileSources,
} from '../internal/enrichment.js';

/** Usage text of `spoti stats`. */
export const STATS_USAGE = `Usage: spoti stats <my_spotify_data.zip | folder | file.json> [options]

Listening statistics from your Spotify data export (no Spotify app or account access needed).

Options:
  --period <p>     short_term | medium_term | long_term | all (default) | 2025 |
                   2025-01-01..2025-06-30 (local dates, both included); the
                   *_term periods count back from the export's last play
  --tz <zone>      IANA time zone for hours and days (default: this computer's)
  --json           print statistics and profile as JSON
  --csv <table>    print one table as CSV: ${STATS_TABLES.join(', ')}
  --top <n>        rows of each top list (default 10)
  --genres <file>  JSON object mapping artist names to genre lists
${ENRICH_USAGE}  --strict         stop at the first malformed row instead of skipping it
  -h, --help       show this help
`;

const STATS_ARGS = {
  period: { type: 'string' },
  tz: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'string' },
  top: { type: 'string' },
  genres: { type: 'string' },
  ...ENRICH_ARGS,
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type StatsValues = ReturnType<typeof parseArgs<{ options: typeof STATS_ARGS }>>['values'];

/** The checked arguments of `spoti stats`. */
interface StatsArgs {
  values: StatsValues;
  source: string;
  period: PeriodSpec;
  top: number;
  genres: Map<string, readonly string[]> | undefined;
  enrich: EnrichSettings | undefined;
}

/** Parses and checks the arguments; bad usage raises {@link UsageError}; `--help` gives `'help'`. */
async function parseStatsArgs(argv: readonly string[]): Promise<StatsArgs | 'help'> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: STATS_ARGS,
  });
  if (values.help === true) return 'help';
  if (positionals.length !== 1) throw new UsageError('expected exactly one export path');
  const period = parsePeriod(values.period);
  let top = 10;
  if (values.top !== undefined) {
    top = Number(values.top);
    if (!Number.isInteger(top) || top < 1 || top > 1000)
      throw new UsageError(`invalid --top ${values.top}`);
  }
  if (values.csv !== undefined && !(STATS_TABLES as readonly string[]).includes(values.csv)) {
    throw new UsageError(`invalid --csv ${values.csv}; expected one of ${STATS_TABLES.join(', ')}`);
  }
  if (values.json === true && values.csv !== undefined)
    throw new UsageError('--json and --csv exclude each other');
  const genres = values.genres === undefined ? undefined : await loadGenres(values.genres);
  const enrich = parseEnrichSettings(values, process.env);
  return { values, source: positionals[0] as string, period, top, genres, enrich };
}

/**
 * `spoti stats <export> [--period ...] [--json] [--tz ...]`: imports a Spotify data export
 * (zip, folder or file) with a progress bar on a terminal's stderr, and prints a readable summary
 * (tables and an hour-of-day chart), JSON, or one CSV table.
 *
 * @returns the exit code: 0 success, 1 import or analysis error, 2 usage error.
 * @example
 * ```ts
 * const code = await runStatsCommand(['my_spotify_data.zip', '--period', '2025'], process);
 * ```
 */
export async function runStatsCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  let args: StatsArgs | 'help';
  try {
    args = await parseStatsArgs(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`spoti stats: ${message}\n\n${STATS_USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.stdout.write(STATS_USAGE);
    return 0;
  }
  const { values, source, period, top, genres, enrich } = args;
  const timeZone = values.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const bar = new ProgressBar(io.stderr, isTty(io.stderr));
  try {
    const imported = await importSpotifyExport(source, {
      userId: 'export',
      strict: values.strict === true,
      onProgress: (p) => bar.update(p),
    });
    bar.done();
    const sources = await profileSources(imported.plays, genres, enrich, io, process.env);
    const { stats, profile } = buildListeningProfile(imported.plays, {
      timeZone,
      period,
      limit: Math.max(top, 50),
      topLimit: top,
      ...sources,
    });
    if (values.json === true) {
      const report = {
        import: {
          files: imported.progress.files,
          rows: imported.progress.rows,
          plays: imported.plays.size,
          duplicates: imported.duplicates,
          podcasts: imported.podcasts,
          audiobooks: imported.audiobooks,
          issueCount: imported.issueCount,
          issues: imported.issues.map((e) => ({
            code: e.code,
            file: e.file,
            row: e.row,
            message: e.message,
          })),
        },
        stats,
        profile,
      };
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else if (values.csv !== undefined) {
      io.stdout.write(statsToCsv(stats, values.csv as StatsTable));
    } else {
      io.stdout.write(
        summary(stats, top, {
          duplicates: imported.duplicates,
          podcasts: imported.podcasts.count,
          audiobooks: imported.audiobooks.count,
          issues: imported.issueCount,
          files: imported.progress.files,
        }),
      );
    }
    writeWarnings(io.stderr, imported);
    return 0;
  } catch (error) {
    bar.done();
    if (isAnalyticsError(error) || isEnrichError(error)) {
      io.stderr.write(`spoti stats: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
