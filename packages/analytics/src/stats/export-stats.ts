import { AnalyticsError } from '../errors/analytics-error.js';
import type { ListeningStats } from './types.js';

/** Tables {@link statsToCsv} can write. */
export type StatsTable =
  | 'artists'
  | 'tracks'
  | 'albums'
  | 'genres'
  | 'hours'
  | 'weekday-hours'
  | 'months';

/**
 * Every table {@link statsToCsv} can write, in a fixed order.
 *
 * @example
 * ```ts
 * for (const table of STATS_TABLES) await writeFile(`${table}.csv`, statsToCsv(stats, table));
 * ```
 */
const STATS_TABLES: readonly StatsTable[] = [
  'artists',
  'tracks',
  'albums',
  'genres',
  'hours',
  'weekday-hours',
  'months',
];

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; formula-leading characters are prefixed with `'`. */
function field(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csv = (header: readonly string[], rows: readonly (readonly (string | number | null)[])[]) =>
  `${[header, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;

type Cell = string | number | null;

/** Rows of a top list: rank, the item's own cells, plays, minutes, then any trailing cells. */
const ranked = <T extends { plays: number; msPlayed: number }>(
  items: readonly T[],
  cells: (item: T) => Cell[],
  after: (item: T) => Cell[] = () => [],
): Cell[][] => items.map((t, i) => [i + 1, ...cells(t), t.plays, t.msPlayed / 60_000, ...after(t)]);

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * One table of the statistics as CSV (RFC 4180, CRLF line ends, a header row; cells starting
 * with `=`, `+`, `-` or `@` are prefixed with `'` so spreadsheets do not run them as formulas).
 * Top lists are ranked by listening time.
 *
 * @throws AnalyticsError `INVALID_INPUT` for an unknown table.
 * @example
 * ```ts
 * await writeFile('artists.csv', statsToCsv(stats, 'artists'));
 * ```
 */
export function statsToCsv(stats: ListeningStats, table: StatsTable): string {
  switch (table) {
    case 'artists':
      return csv(
        ['rank', 'artist', 'artist_id', 'plays', 'minutes'],
        ranked(stats.topArtists.byTime, (a) => [a.name, a.id]),
      );
    case 'tracks':
      return csv(
        ['rank', 'track', 'artist', 'album', 'track_id', 'plays', 'minutes'],
        ranked(stats.topTracks.byTime, (t) => [t.name, t.artistName, t.albumName, t.id]),
      );
    case 'albums':
      return csv(
        ['rank', 'album', 'artist', 'album_id', 'plays', 'minutes'],
        ranked(stats.topAlbums.byTime, (a) => [a.name, a.artistName, a.id]),
      );
    case 'genres':
      return csv(
        ['rank', 'genre', 'family', 'plays', 'minutes', 'share'],
        ranked(
          stats.topGenres.byTime,
          (g) => [g.name, g.family],
          (g) => [g.share],
        ),
      );
    case 'hours':
      return csv(
        ['hour', 'minutes'],
        stats.hours.map((ms, h) => [h, ms / 60_000]),
      );
    case 'weekday-hours':
      return csv(
        ['weekday', ...Array.from({ length: 24 }, (_, h) => String(h))],
        stats.weekdayHours.map((row, d) => [
          WEEKDAYS[d] as string,
          ...row.map((ms) => ms / 60_000),
        ]),
      );
    case 'months':
      return csv(
        ['month', 'minutes', 'top_family', 'top_family_share'],
        stats.evolution.months.map((m) => [
          m.month,
          m.msPlayed / 60_000,
          m.families[0]?.family ?? null,
          m.families[0]?.share ?? null,
        ]),
      );
    default:
      throw new AnalyticsError({
        code: 'INVALID_INPUT',
        message: `Unknown statistics table ${JSON.stringify(table)}; expected one of ${STATS_TABLES.join(', ')}`,
      });
  }
}

/**
 * The statistics as pretty-printed JSON (the {@link ListeningStats} object as is: plain data).
 *
 * @example
 * ```ts
 * await writeFile('stats.json', statsToJson(stats));
 * ```
 */
export function statsToJson(stats: ListeningStats): string {
  return `${JSON.stringify(stats, null, 2)}\n`;
}

export { STATS_TABLES };
