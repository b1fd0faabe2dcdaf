import { zoneOffsets } from '@spoti/catalog';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { ServerError } from '../server-error.js';
import { type SafeHtml, html } from '../views/html.js';
import { layout } from '../views/layout.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { requireUser } from './require-user.js';

const PAGE = 50;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const querySchema = z.object({
  artist: z.string().trim().max(200).optional(),
  track: z.string().trim().max(200).optional(),
  from: z.union([date, z.literal('')]).optional(),
  to: z.union([date, z.literal('')]).optional(),
  before: z
    .string()
    .regex(/^-?\d{1,16}\.\d{1,16}$/, 'must be a position from a "next page" link')
    .optional(),
});

const localMidnight = (tz: string, day: string, plusDays = 0) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return zoneOffsets(tz).instantOf(Date.UTC(y, m - 1, d + plusDays));
};

/** One formatter per time zone: building an `Intl.DateTimeFormat` costs more than formatting. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(ms: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    if (formatters.size >= 100) formatters.clear();
    formatters.set(timeZone, format);
  }
  return format.format(ms);
}

type HistoryQuery = z.infer<typeof querySchema>;

function parseHistoryQuery(query: unknown): HistoryQuery {
  const parsed = querySchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ServerError(
    'INVALID_INPUT',
    `${issue?.path.join('.') ?? 'query'} ${issue?.message ?? 'is invalid'}`,
  );
}

type Play = Awaited<
  ReturnType<AppContext['database']['catalog']['listRecentPlays']>
>['plays'][number];
interface Gap {
  id: string;
  from: number;
  to: number;
  estimatedMissed: number;
}

/** The rows of a page: its plays, with each gap in place between the plays around it. */
function historyRows(plays: readonly Play[], gaps: readonly Gap[], q: HistoryQuery, tz: string) {
  const rows: SafeHtml[] = [];
  const newest = q.before === undefined ? Number.POSITIVE_INFINITY : Number(q.before.split('.')[0]);
  const shown = new Set<string>();
  let previous = newest;
  for (const p of plays) {
    for (const g of gaps) {
      if (!shown.has(g.id) && g.to <= previous && g.to > p.endedAt) {
        shown.add(g.id);
        rows.push(gapRow(g, tz));
      }
    }
    rows.push(
      html`<tr><td>${localTime(p.endedAt, tz)}</td><td>${p.trackName}</td><td>${p.artistName}</td><td>${p.albumName ?? ''}</td><td class="num">${Math.round(p.msPlayed / 1000)} s</td><td>${p.source === 'export' ? 'export' : 'synced'}</td></tr>`,
    );
    previous = p.endedAt;
  }
  return rows;
}

function historyBody(q: HistoryQuery, rows: SafeHtml[], cursor: string | null, tz: string) {
  const filters = new URLSearchParams();
  for (const key of ['artist', 'track', 'from', 'to'] as const)
    if (q[key]) filters.set(key, q[key] ?? '');
  const next =
    cursor === null ? null : `/history?${new URLSearchParams([...filters, ['before', cursor]])}`;
  return html`<h1>Listening history</h1>
        <form method="get" action="/history" class="filters">
          <fieldset><legend>Filter</legend>
          <div class="period-fields">
            <label>Artist <input name="artist" value="${q.artist ?? ''}" maxlength="200"></label>
            <label>Track <input name="track" value="${q.track ?? ''}" maxlength="200"></label>
            <label>From <input type="date" name="from" value="${q.from ?? ''}"></label>
            <label>To <input type="date" name="to" value="${q.to ?? ''}"></label>
            <button type="submit">Filter</button>
          </div></fieldset>
        </form>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways on small screens)"><table class="history">
          <caption>Plays, newest first (${tz})</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Track</th><th scope="col">Artist</th><th scope="col">Album</th><th scope="col" class="num">Played</th><th scope="col">Source</th></tr></thead>
          <tbody>${rows.length === 0 ? html`<tr><td colspan="6">No plays match.</td></tr>` : rows}</tbody>
        </table></div>
        <nav class="pager" aria-label="Pages">
          ${q.before ? html`<a href="/history?${filters.toString()}">Newest</a>` : ''}
          ${next === null ? html`<span class="muted">End of history</span>` : html`<a rel="next" href="${next}">Older plays</a>`}
        </nav>`;
}

/** `/history`: plays newest first, keyset paging, filters, and sync's gaps in place. */
export function historyRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/history', requireUser, async (req, res) => {
    const user = currentUser(res);
    const q = parseHistoryQuery(req.query);
    const from = q.from ? localMidnight(user.timeZone, q.from) : undefined;
    const to = q.to ? localMidnight(user.timeZone, q.to, 1) : undefined;
    if (from !== undefined && to !== undefined && to <= from)
      throw new ServerError('INVALID_INPUT', 'to must not be before from');
    const { plays, next: cursor } = await ctx.database.catalog.listRecentPlays({
      userId: user.id,
      ...(q.artist ? { artist: q.artist } : {}),
      ...(q.track ? { track: q.track } : {}),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(q.before === undefined ? {} : { before: q.before }),
      limit: PAGE,
    });
    const gaps = (await ctx.database.syncState.listGaps(user.id)).filter(
      (g) => g.filledAt === null,
    );
    const rows = historyRows(plays, gaps, q, user.timeZone);
    sendPage(
      res,
      200,
      layout(pageContext(req, res), {
        title: 'History',
        body: historyBody(q, rows, cursor, user.timeZone),
      }),
    );
  });
  return router;
}

function gapRow(g: { from: number; to: number; estimatedMissed: number }, tz: string): SafeHtml {
  return html`<tr class="gap"><td colspan="6">Gap: nothing was recorded from ${localTime(g.from, tz)} to ${localTime(g.to, tz)} (about ${g.estimatedMissed} plays missed). <a href="/import">Import your data export</a> to fill it.</td></tr>`;
}
