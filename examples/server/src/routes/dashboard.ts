import { STATS_TABLES, type StatsTable, statsToCsv, statsToJson } from '@spoti/analytics';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { type PeriodChoice, parsePeriodQuery, periodKey } from '../services/period.js';
import type { DashboardStats } from '../services/stats-service.js';
import { ServerError } from '../server-error.js';
import { dashboardBody } from '../views/dashboard-page.js';
import type { SafeHtml } from '../views/html.js';
import { layout } from '../views/layout.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { requireUser } from './require-user.js';

/** `/dashboard` and its CSV/JSON downloads. */
export function dashboardRoutes(ctx: AppContext): Router {
  const router = Router();
  // The body depends only on the (cached) statistics and the period: render it once per both.
  const bodies = new WeakMap<DashboardStats, Map<string, SafeHtml>>();
  const bodyFor = (result: DashboardStats, choice: PeriodChoice, currentYear: number): SafeHtml => {
    let perChoice = bodies.get(result);
    if (perChoice === undefined) {
      perChoice = new Map();
      bodies.set(result, perChoice);
    }
    const key = `${periodKey(choice)}|${currentYear}`;
    let body = perChoice.get(key);
    if (body === undefined) {
      body = dashboardBody({ ...result, choice, currentYear });
      perChoice.set(key, body);
    }
    return body;
  };
  router.use('/dashboard', requireUser);

  router.get('/dashboard', async (req, res) => {
    const user = currentUser(res);
    const now = ctx.clock.now();
    const currentYear = new Date(now).getUTCFullYear();
    const choice = parsePeriodQuery(req.query, currentYear);
    const result = await ctx.stats.forPeriod(user.id, choice, user.timeZone, now);
    sendPage(
      res,
      200,
      layout(pageContext(req, res), {
        title: 'Dashboard',
        body: bodyFor(result, choice, currentYear),
      }),
    );
  });

  router.get('/dashboard/download/:file', async (req, res) => {
    const user = currentUser(res);
    const now = ctx.clock.now();
    const choice = parsePeriodQuery(req.query, new Date(now).getUTCFullYear());
    const file = req.params.file ?? '';
    const { stats } = await ctx.stats.forPeriod(user.id, choice, user.timeZone, now);
    if (file === 'stats.json') {
      res.type('application/json').attachment('spoti-stats.json').send(statsToJson(stats));
      return;
    }
    const table = file.replace(/\.csv$/, '') as StatsTable;
    if (!file.endsWith('.csv') || !STATS_TABLES.includes(table)) {
      throw new ServerError(
        'NOT_FOUND',
        `No download named ${file}: use one of ${STATS_TABLES.map((t) => `${t}.csv`).join(', ')} or stats.json`,
      );
    }
    res.type('text/csv').attachment(`spoti-${table}.csv`).send(statsToCsv(stats, table));
  });
  return router;
}
