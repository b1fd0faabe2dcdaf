import { parseArgs } from 'node:util';
import {
  buildListeningProfile,
  importSpotifyExport,
  isAnalyticsError,
  type ListeningStats,
  type PeriodSpec,
  STATS_TABLES,
  type StatsTable,
  statsToCsv,
} from '@spoti/analytics';
import { cut, duration, hourChart, int, percent, table } from '../internal/format.js';
import { loadGenres } from '../internal/genres.js';
import { type CommandIo, isTty, UsageError, writeWarnings } from '../internal/io.js';
import { parsePeriod } from '../internal/period.js';
import { ProgressBar } from '../internal/progress-bar.js';
import { isEnrichError } from '@spoti/enrich';
import {
  ENRICH_ARGS,
  ENRICH_USAGE,
  type EnrichSettings,
  enrichPlays,
  parseEnrichSettings,
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

function summary(
  stats: ListeningStats,
  top: number,
  imported: {
    duplicates: number;
    podcasts: number;
    audiobooks: number;
    issues: number;
    files: number;
  },
): string {
  const out: string[] = [];
  const { totals } = stats;
  out.push(
    `Listening statistics, ${stats.period.label}: ${stats.period.from.slice(0, 10)} .. ${stats.period.to.slice(0, 10)} (${stats.timeZone})`,
  );
  out.push(
    `Read ${imported.files} files: ${int(totals.plays)} plays in the period, ${int(imported.duplicates)} duplicate rows removed, ${int(imported.podcasts)} podcast and ${int(imported.audiobooks)} audiobook rows set apart${imported.issues > 0 ? `, ${int(imported.issues)} rows skipped or repaired (see warnings)` : ''}`,
  );
  out.push('');
  out.push(
    `Time        ${duration(totals.msPlayed)} (${int(totals.minutes)} minutes) on ${int(totals.days)} days`,
  );
  out.push(
    `Library     ${int(totals.uniqueTracks)} tracks, ${int(totals.uniqueArtists)} artists, ${int(totals.uniqueAlbums)} albums`,
  );
  const longest = stats.sessions.longest;
  out.push(
    `Sessions    ${int(stats.sessions.count)}, average ${duration(stats.sessions.averageMs)}${longest === null ? '' : `, longest ${duration(Date.parse(longest.end) - Date.parse(longest.start))} on ${longest.start.slice(0, 10)}`}`,
  );
  const streak = stats.streaks.longest;
  out.push(
    `Streaks     longest ${streak === null ? 0 : `${streak.days} days (${streak.from} .. ${streak.to})`}, current ${stats.streaks.current} days`,
  );
  out.push(`Skips       ${stats.skips.rate === null ? 'unknown' : percent(stats.skips.rate)}`);
  out.push(
    `Diversity   ${stats.diversity.artists.hill1.toFixed(1)} effective artists (Gini ${stats.diversity.artists.gini.toFixed(2)}), time of day ${stats.timeOfDayDiversity.toFixed(2)}, night ${percent(stats.nightShare)}`,
  );
  out.push(
    `Discovery   ${int(stats.discovery.newArtists)} new artists (${percent(stats.discovery.rate)} of plays)`,
  );
  const artists = stats.topArtists.byTime.slice(0, top);
  if (artists.length > 0) {
    out.push('', 'Top artists (by time)');
    out.push(
      table(
        ['#', 'Artist', 'Hours', 'Plays'],
        artists.map((a, i) => [
          String(i + 1),
          cut(a.name, 36),
          (a.msPlayed / 3_600_000).toFixed(1),
          int(a.plays),
        ]),
        [true, false, true, true],
      ),
    );
  }
  const tracks = stats.topTracks.byTime.slice(0, top);
  if (tracks.length > 0) {
    out.push('', 'Top tracks (by time)');
    out.push(
      table(
        ['#', 'Track', 'Artist', 'Hours', 'Plays'],
        tracks.map((t, i) => [
          String(i + 1),
          cut(t.name, 36),
          cut(t.artistName, 24),
          (t.msPlayed / 3_600_000).toFixed(1),
          int(t.plays),
        ]),
        [true, false, false, true, true],
      ),
    );
  }
  const albums = stats.topAlbums.byTime.slice(0, Math.min(top, 5));
  if (albums.length > 0) {
    out.push('', 'Top albums (by time)');
    out.push(
      table(
        ['#', 'Album', 'Artist', 'Hours'],
        albums.map((a, i) => [
          String(i + 1),
          cut(a.name, 36),
          cut(a.artistName, 24),
          (a.msPlayed / 3_600_000).toFixed(1),
        ]),
        [true, false, false, true],
      ),
    );
  }
  const genres = stats.topGenres.byTime.slice(0, Math.min(top, 5));
  if (genres.length > 0) {
    out.push('', 'Top genres (by time)');
    out.push(
      table(
        ['#', 'Genre', 'Family', 'Share'],
        genres.map((g, i) => [String(i + 1), cut(g.name, 36), g.family ?? '?', percent(g.share)]),
        [true, false, false, true],
      ),
    );
  } else {
    out.push('', 'Genres      unknown (the export has none; pass --genres artist-genres.json)');
  }
  out.push('', `Hours of the day (${stats.timeZone})`, hourChart(stats.hours));
  if (stats.achievements.length > 0) {
    out.push('', 'Achievements');
    for (const a of stats.achievements) out.push(`  ${a.reachedAt.slice(0, 10)}  ${a.label}`);
  }
  return `${out.join('\n')}\n`;
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
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  const parse = (args: string[]) =>
    parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        period: { type: 'string' },
        tz: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'string' },
        top: { type: 'string' },
        genres: { type: 'string' },
        ...ENRICH_ARGS,
        strict: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  let period: PeriodSpec;
  let top = 10;
  let genres: Map<string, readonly string[]> | undefined;
  let enrich: EnrichSettings | undefined;
  try {
    ({ values, positionals } = parse([...argv]));
    if (values.help === true) {
      io.stdout.write(STATS_USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('expected exactly one export path');
    period = parsePeriod(values.period);
    if (values.top !== undefined) {
      top = Number(values.top);
      if (!Number.isInteger(top) || top < 1 || top > 1000)
        throw new UsageError(`invalid --top ${values.top}`);
    }
    if (values.csv !== undefined && !(STATS_TABLES as readonly string[]).includes(values.csv)) {
      throw new UsageError(
        `invalid --csv ${values.csv}; expected one of ${STATS_TABLES.join(', ')}`,
      );
    }
    if (values.json === true && values.csv !== undefined)
      throw new UsageError('--json and --csv exclude each other');
    if (values.genres !== undefined) genres = await loadGenres(values.genres);
    enrich = parseEnrichSettings(values, process.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`spoti stats: ${message}\n\n${STATS_USAGE}`);
    return 2;
  }
  const timeZone = values.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const source = positionals[0] as string;
  const bar = new ProgressBar(io.stderr, isTty(io.stderr));
  try {
    const imported = await importSpotifyExport(source, {
      userId: 'export',
      strict: values.strict === true,
      onProgress: (p) => bar.update(p),
    });
    bar.done();
    const ownGenres =
      genres === undefined
        ? undefined
        : (artist: { name: string }) => genres.get(artist.name.toLowerCase());
    const enriched =
      enrich === undefined
        ? undefined
        : await enrichPlays(imported.plays, enrich, ownGenres, io, process.env);
    const { stats, profile } = buildListeningProfile(imported.plays, {
      timeZone,
      period,
      limit: Math.max(top, 50),
      topLimit: top,
      ...(enriched === undefined
        ? ownGenres === undefined
          ? {}
          : { genresOf: ownGenres }
        : {
            features: enriched.features,
            genresOf: enriched.genresOf,
            ...(enriched.genresVia === undefined ? {} : { genresVia: enriched.genresVia }),
          }),
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
