import { Router } from 'express';
import type { AppContext } from '../context.js';

/** `GET /healthz` (the process is alive) and `GET /readyz` (the database answers; 503 otherwise). */
export function healthRoutes(ctx: AppContext, state: { shuttingDown: () => boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const database = !state.shuttingDown() && (await ctx.database.ping());
    res
      .status(database ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: database ? 'ready' : 'unavailable',
        database: database ? 'ok' : 'unreachable',
      });
  });
  return router;
}
