import type { ListeningStats } from '@spoti/analytics';
import { cut, duration, hourChart, int, percent, table } from './format.js';

/** What the import found, as the summary's second line reports it. */
export interface ImportCounts {
  duplicates: number;
  podcasts: number;
  audiobooks: number;
  issues: number;
  files: number;
}

/** The period, import counts and one line each for time, library, sessions and other figures. */
function headline(stats: ListeningStats, imported: ImportCounts): string[] {
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
  return out;
}

/** One column of a top list: its heading, whether it is right-aligned, and its cell. */
interface Column<T> {
  readonly head: string;
  readonly right: boolean;
  cell(row: T): string;
}

const hours = <T extends { msPlayed: number }>(): Column<T> => ({
  head: 'Hours',
  right: true,
  cell: (row) => (row.msPlayed / 3_600_000).toFixed(1),
});
const plays = <T extends { plays: number }>(): Column<T> => ({
  head: 'Plays',
  right: true,
  cell: (row) => int(row.plays),
});
const text = <T>(head: string, width: number, of: (row: T) => string): Column<T> => ({
  head,
  right: false,
  cell: (row) => cut(of(row), width),
});

/** A numbered top list under a title, or nothing when the list is empty. */
function topList<T>(title: string, rows: readonly T[], columns: readonly Column<T>[]): string[] {
  if (rows.length === 0) return [];
  return [
    '',
    title,
    table(
      ['#', ...columns.map((c) => c.head)],
      rows.map((row, i) => [String(i + 1), ...columns.map((c) => c.cell(row))]),
      [true, ...columns.map((c) => c.right)],
    ),
  ];
}

/** The top artists, tracks, albums and genres tables. */
function topTables(stats: ListeningStats, top: number): string[] {
  const genres = stats.topGenres.byTime.slice(0, Math.min(top, 5));
  return [
    ...topList('Top artists (by time)', stats.topArtists.byTime.slice(0, top), [
      text('Artist', 36, (a) => a.name),
      hours(),
      plays(),
    ]),
    ...topList('Top tracks (by time)', stats.topTracks.byTime.slice(0, top), [
      text('Track', 36, (t) => t.name),
      text('Artist', 24, (t) => t.artistName),
      hours(),
      plays(),
    ]),
    ...topList('Top albums (by time)', stats.topAlbums.byTime.slice(0, Math.min(top, 5)), [
      text('Album', 36, (a) => a.name),
      text('Artist', 24, (a) => a.artistName),
      hours(),
    ]),
    ...(genres.length > 0
      ? topList('Top genres (by time)', genres, [
          text('Genre', 36, (g) => g.name),
          { head: 'Family', right: false, cell: (g) => g.family ?? '?' },
          { head: 'Share', right: true, cell: (g) => percent(g.share) },
        ])
      : ['', 'Genres      unknown (the export has none; pass --genres artist-genres.json)']),
  ];
}

/**
 * The readable `spoti stats` report: headline figures, top lists, an hour-of-day chart and
 * achievements, ending in a newline.
 */
export function summary(stats: ListeningStats, top: number, imported: ImportCounts): string {
  const out = [...headline(stats, imported), ...topTables(stats, top)];
  out.push('', `Hours of the day (${stats.timeZone})`, hourChart(stats.hours));
  if (stats.achievements.length > 0) {
    out.push('', 'Achievements');
    for (const a of stats.achievements) out.push(`  ${a.reachedAt.slice(0, 10)}  ${a.label}`);
  }
  return `${out.join('\n')}\n`;
}
