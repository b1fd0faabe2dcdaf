import { createHash, timingSafeEqual } from 'node:crypto';
import { type RequestHandler, Router } from 'express';
import type { Kysely } from 'kysely';
import type { AppContext } from '../context.js';
import { ReleaseRunLog, releaseSweepRunning } from '../storage/release-runs.js';

/** Compares two secrets in constant time (over their SHA-256, so lengths leak nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Triggers for an external cron, outside the browser's session and CSRF (mounted before them):
 *
 * - `POST /scheduled/run-releases`: starts the release sweep (then the digests that are due) and
 *   answers 202 `{ jobId, status }`. While a sweep runs (in any process on the database) it
 *   starts nothing and answers 202 with the running job's id and `status: "running"`.
 * - `GET /scheduled/runs/:id`: that run's status and result.
 *
 * Both need `X-API-KEY` equal to `SCHEDULED_API_KEY` (401 otherwise) and are rate-limited. With
 * no key configured the routes do not exist (404).
 */
export function scheduledRoutes(ctx: AppContext, limit: RequestHandler): Router {
  const router = Router();
  const key = ctx.config.scheduledApiKey;
  if (key === undefined) {
    // Not configured: the trigger does not exist (and a POST is not sent on to the CSRF check).
    router.all(['/scheduled/run-releases', '/scheduled/runs/:id'], (_req, res) => {
      res.status(404).json({ error: 'Not found: set SCHEDULED_API_KEY to enable this trigger' });
    });
    return router;
  }
  const runs = new ReleaseRunLog(ctx.database.db as unknown as Kysely<unknown>);

  const authorised: RequestHandler = (req, res, next) => {
    const given = req.get('x-api-key');
    if (given === undefined || !sameSecret(given, key)) {
      res
        .status(401)
        .set('WWW-Authenticate', 'ApiKey header="X-API-KEY"')
        .json({ error: 'A valid X-API-KEY header is required' });
      return;
    }
    next();
  };

  router.post('/scheduled/run-releases', limit, authorised, async (_req, res) => {
    const now = ctx.clock.now();
    if (await releaseSweepRunning(ctx.database)) {
      const running = await runs.running();
      res.status(202).json({ jobId: running?.id ?? null, status: 'running', started: false });
      return;
    }
    // A run queued a moment ago has not taken the lock yet: answer with it, start nothing.
    const queued = await runs.queuedSince(now - 60_000);
    if (queued !== null) {
      res.status(202).json({ jobId: queued.id, status: 'queued', started: false });
      return;
    }
    // The lock is free: a run still marked running belongs to a process that died.
    await runs.abandonRunning(now);
    const jobId = await runs.queue('api', now);
    ctx.runner.start('release-sweep', { runId: jobId, trigger: 'api' });
    res
      .status(202)
      .set('Location', `/scheduled/runs/${jobId}`)
      .json({ jobId, status: 'queued', started: true });
  });

  router.get('/scheduled/runs/:id', limit, authorised, async (req, res) => {
    const run = await runs.get(String(req.params.id));
    if (run === null) {
      res.status(404).json({ error: 'No such run' });
      return;
    }
    res.json(run);
  });
  return router;
}
