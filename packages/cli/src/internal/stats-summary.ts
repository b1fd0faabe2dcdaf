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

/** The top artists, tracks, albums and genres tables. */
function topTables(stats: ListeningStats, top: number): string[] {
  const out: string[] = [];
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
  return out;
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
