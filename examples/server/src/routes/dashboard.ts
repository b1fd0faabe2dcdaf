import { STATS_TABLES, type StatsTable, statsToCsv, statsToJson } from '@spoti/analytics';
import { Router } from 'express';
import type { AppContext } from '../context.js';
import { parsePeriodQuery } from '../services/period.js';
import { ServerError } from '../server-error.js';
import { DashboardPages } from './dashboard-cache.js';
import { currentUser, pageContext } from './page-context.js';
import { requireUser } from './require-user.js';

/** `/dashboard` and its CSV/JSON downloads. */
export function dashboardRoutes(ctx: AppContext): Router {
  const router = Router();
  // The page depends only on the (cached) statistics, the period and the session's frame.
  const pages = new DashboardPages();
  router.use('/dashboard', requireUser);

  router.get('/dashboard', async (req, res) => {
    const user = currentUser(res);
    const now = ctx.clock.now();
    const currentYear = new Date(now).getUTCFullYear();
    const choice = parsePeriodQuery(req.query, currentYear);
    const result = await ctx.stats.forPeriod(user.id, choice, user.timeZone, now);
    pages.send(req, res, pageContext(req, res), pages.body(result, choice, currentYear));
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
