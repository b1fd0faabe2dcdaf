import { type ListeningStats, STATS_TABLES, type StatsComparison } from '@spoti/analytics';
import { PERIOD_CHOICES, type PeriodChoice, periodKey } from '../services/period.js';
import { barChart, columnChart, heatmap } from './charts.js';
import { type SafeHtml, html } from './html.js';

const minutes = (ms: number) => Math.round(ms / 60_000);
const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function periodForm(choice: PeriodChoice, currentYear: number): SafeHtml {
  const year = choice.kind === 'year' ? choice.year : currentYear;
  return html`<form method="get" action="/dashboard" class="period">
    <fieldset>
      <legend>Period</legend>
      <div class="period-fields">
        <label>Show
          <select name="period">${PERIOD_CHOICES.map(
            (p) =>
              html`<option value="${p.value}"${choice.kind === p.value ? html` selected` : ''}>${p.label}</option>`,
          )}</select>
        </label>
        <label>Year <input type="number" name="year" min="1900" max="9999" value="${year}" inputmode="numeric"></label>
        <label>From <input type="date" name="from" value="${choice.kind === 'custom' ? choice.from : ''}"></label>
        <label>To <input type="date" name="to" value="${choice.kind === 'custom' ? choice.to : ''}"></label>
        <button type="submit">Show</button>
      </div>
      <p class="hint">Year is used with “Calendar year”, From and To with “Custom range”.</p>
    </fieldset>
  </form>`;
}

/** The period as the selector names it ("All time", "2024", "Custom range"). */
function periodTitle(choice: PeriodChoice): string {
  if (choice.kind === 'year') return String(choice.year);
  return PERIOD_CHOICES.find((p) => p.value === choice.kind)?.label ?? choice.kind;
}

function table<T>(
  caption: string,
  rows: readonly T[],
  columns: readonly { head: string; cell: (row: T, i: number) => string | number; num?: boolean }[],
): SafeHtml {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways on small screens)"><table>
    <caption>${caption}</caption>
    <thead><tr>${columns.map((c) => html`<th scope="col"${c.num ? html` class="num"` : ''}>${c.head}</th>`)}</tr></thead>
    <tbody>${rows.length === 0 ? html`<tr><td colspan="${columns.length}">Nothing in this period.</td></tr>` : rows.map((r, i) => html`<tr>${columns.map((c) => html`<td${c.num ? html` class="num"` : ''}>${c.cell(r, i)}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

function rankMoves(comparison: StatsComparison | null): SafeHtml {
  if (comparison === null)
    return html`<p class="muted">No previous period to compare with for “all time”.</p>`;
  const d = comparison.delta;
  const sign = (n: number) => (n > 0 ? `+${n}` : String(n));
  return html`<p>Against ${comparison.before}: ${sign(d.plays)} plays, ${sign(Math.round(d.hours))} hours, ${sign(d.uniqueArtists)} artists, ${sign(d.days)} days with music.</p>
  ${table('Rank moves of your top artists', comparison.artists, [
    { head: 'Artist', cell: (a) => a.name },
    { head: 'Before', cell: (a) => (a.before === null ? 'new' : `#${a.before}`), num: true },
    { head: 'Now', cell: (a) => (a.after === null ? '–' : `#${a.after}`), num: true },
    {
      head: 'Move',
      cell: (a) =>
        a.before === null || a.after === null
          ? '★'
          : a.before === a.after
            ? '='
            : a.after < a.before
              ? `▲ ${a.before - a.after}`
              : `▼ ${a.after - a.before}`,
      num: true,
    },
  ])}`;
}

function monthData(s: ListeningStats) {
  return s.evolution.months.slice(-24).map((m) => ({
    label: `${MONTHS[Number(m.month.slice(5, 7)) - 1] ?? ''} ${m.month.slice(2, 4)}`,
    value: minutes(m.msPlayed),
  }));
}

const monthLabelStep = (s: ListeningStats) =>
  Math.max(1, Math.ceil(Math.min(24, s.evolution.months.length) / 8));

function totalsSection(t: ListeningStats['totals']): SafeHtml {
  return html`<section aria-labelledby="totals-h"><h2 id="totals-h">Totals</h2>
    <dl class="totals">
      <div><dt>Plays</dt><dd data-total="plays">${t.plays}</dd></div>
      <div><dt>Minutes</dt><dd data-total="minutes">${Math.round(t.minutes)}</dd></div>
      <div><dt>Tracks</dt><dd>${t.uniqueTracks}</dd></div>
      <div><dt>Artists</dt><dd>${t.uniqueArtists}</dd></div>
      <div><dt>Albums</dt><dd>${t.uniqueAlbums}</dd></div>
      <div><dt>Days with music</dt><dd>${t.days}</dd></div>
    </dl>
  </section>`;
}

function topArtistsAndTracks(s: ListeningStats): SafeHtml {
  return html`<section class="card"><h2>Top artists</h2>
      ${barChart(
        'Top artists by minutes',
        s.topArtists.byTime
          .slice(0, 10)
          .map((a) => ({ label: a.name, value: minutes(a.msPlayed) })),
        'min',
      )}
      ${table('Top artists', s.topArtists.byTime.slice(0, 20), [
        { head: '#', cell: (_a, i) => i + 1, num: true },
        { head: 'Artist', cell: (a) => a.name },
        { head: 'Plays', cell: (a) => a.plays, num: true },
        { head: 'Minutes', cell: (a) => minutes(a.msPlayed), num: true },
      ])}
    </section>
    <section class="card"><h2>Top tracks</h2>
      ${barChart(
        'Top tracks by plays',
        s.topTracks.byPlays.slice(0, 10).map((x) => ({ label: x.name, value: x.plays })),
        'plays',
      )}
      ${table('Top tracks', s.topTracks.byPlays.slice(0, 20), [
        { head: '#', cell: (_a, i) => i + 1, num: true },
        { head: 'Track', cell: (x) => x.name },
        { head: 'Artist', cell: (x) => x.artistName },
        { head: 'Plays', cell: (x) => x.plays, num: true },
        { head: 'Minutes', cell: (x) => minutes(x.msPlayed), num: true },
      ])}
    </section>`;
}

function topAlbumsAndGenres(s: ListeningStats): SafeHtml {
  return html`<section class="card"><h2>Top albums</h2>
      ${table('Top albums', s.topAlbums.byTime.slice(0, 15), [
        { head: '#', cell: (_a, i) => i + 1, num: true },
        { head: 'Album', cell: (x) => x.name },
        { head: 'Artist', cell: (x) => x.artistName },
        { head: 'Plays', cell: (x) => x.plays, num: true },
        { head: 'Minutes', cell: (x) => minutes(x.msPlayed), num: true },
      ])}
    </section>
    <section class="card"><h2>Top genres</h2>
      ${
        s.topGenres.byTime.length === 0
          ? html`<p class="muted">No genre is known for these artists yet: genres come with the artists the library sync fetches, when Spotify provides them.</p>`
          : html`
      ${barChart(
        'Top genres by share of time',
        s.topGenres.byTime.slice(0, 10).map((g) => ({ label: g.name, value: g.share * 100 })),
        '%',
      )}
      ${table('Top genres', s.topGenres.byTime.slice(0, 15), [
        { head: 'Genre', cell: (g) => g.name },
        { head: 'Plays', cell: (g) => Math.round(g.plays), num: true },
        { head: 'Minutes', cell: (g) => minutes(g.msPlayed), num: true },
      ])}`
      }
    </section>`;
}

function rhythmSections(s: ListeningStats): SafeHtml {
  return html`<section class="card"><h2>Hours of the day</h2>
    ${columnChart(
      'Minutes per hour of the day',
      s.hours.map((ms, h) => ({ label: String(h).padStart(2, '0'), value: minutes(ms) })),
      'min',
      3,
    )}
  </section>
  <section class="card"><h2>Weekday × hour</h2>${heatmap('Minutes by weekday and hour', s.weekdayHours)}</section>
  <section class="card"><h2>Months</h2>
    ${columnChart('Minutes per month', monthData(s), 'min', monthLabelStep(s))}
  </section>`;
}

function habitsSections(s: ListeningStats): SafeHtml {
  return html`<section class="card"><h2>Sessions and streaks</h2>
      <ul class="facts">
        <li>${s.sessions.count} sessions, ${minutes(s.sessions.averageMs)} minutes on average</li>
        <li>Longest session: ${s.sessions.longest === null ? '–' : `${minutes(s.sessions.longest.msPlayed)} min on ${s.sessions.longest.start.slice(0, 10)}`}</li>
        <li>Longest streak: ${s.streaks.longest === null ? '–' : `${days(s.streaks.longest.days)} (${s.streaks.longest.from} to ${s.streaks.longest.to})`}</li>
        <li>Current streak: ${days(s.streaks.current)}</li>
        <li>Skip rate: ${pct(s.skips.rate)}</li>
      </ul>
    </section>
    <section class="card"><h2>Diversity</h2>
      <ul class="facts">
        <li>Artists played: ${s.diversity.artists.richness}, about ${Math.round(s.diversity.artists.hill1)} in effect (evenness ${pct(s.diversity.artists.evenness)})</li>
        <li>Genre consistency: ${pct(s.genreConsistency)}</li>
        <li>Time-of-day diversity: ${pct(s.timeOfDayDiversity)}</li>
        <li>Night listening (22–05): ${pct(s.nightShare)} · mornings (05–09): ${pct(s.morningShare)}</li>
        <li>New artists discovered: ${s.discovery.newArtists}</li>
      </ul>
    </section>
    <section class="card"><h2>Taste phases</h2>
      ${s.evolution.phases.length === 0 ? html`<p class="muted">No phase stands out (genres are needed).</p>` : html`<ol>${s.evolution.phases.map((p) => html`<li>${p.from} to ${p.to}: ${p.family} (${pct(p.share)})</li>`)}</ol>`}
    </section>
    <section class="card"><h2>Achievements</h2>
      ${s.achievements.length === 0 ? html`<p class="muted">None yet.</p>` : html`<ul>${s.achievements.map((a) => html`<li>${a.label} <span class="muted">(${a.reachedAt.slice(0, 10)})</span></li>`)}</ul>`}
    </section>`;
}

function downloadsSection(q: string): SafeHtml {
  return html`<section class="card"><h2>Downloads</h2>
    <ul class="downloads">${STATS_TABLES.map((tbl) => html`<li><a href="/dashboard/download/${tbl}.csv?${q}" download>${tbl}.csv</a></li>`)}
      <li><a href="/dashboard/download/stats.json?${q}" download>everything (JSON)</a></li></ul>
  </section>`;
}

/** The dashboard body: every statistic of the period, charts and downloads. */
export function dashboardBody(input: {
  stats: ListeningStats;
  comparison: StatsComparison | null;
  choice: PeriodChoice;
  currentYear: number;
  historyPlays: number;
}): SafeHtml {
  const { stats: s, choice } = input;
  if (input.historyPlays === 0) {
    return html`<h1>Your dashboard</h1>
      <section class="card"><p>No plays yet. Plays appear after the first sync; for your whole history, <a href="/import">import your Spotify data export</a>.</p></section>`;
  }
  return html`<h1>Your dashboard</h1>
  ${periodForm(choice, input.currentYear)}
  <p class="muted">${periodTitle(choice)}: ${s.period.from.slice(0, 10)} to ${s.period.to.slice(0, 10)} (${s.timeZone})</p>
  ${totalsSection(s.totals)}
  <section aria-labelledby="change-h"><h2 id="change-h">Change against the previous period</h2>${rankMoves(input.comparison)}</section>
  <div class="grid two">
    ${topArtistsAndTracks(s)}
    ${topAlbumsAndGenres(s)}
  </div>
  ${rhythmSections(s)}
  <div class="grid two">
    ${habitsSections(s)}
  </div>
  ${downloadsSection(periodKey(choice))}`;
}
