import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Synchronizer-token CSRF protection. Every session gets a random token (`res.locals.csrfToken`,
 * rendered into each form); every state-changing request must send it back in the `_csrf` form
 * field, the `x-csrf-token` header, or (for streamed multipart uploads, whose body is read
 * later) the `_csrf` query parameter. Anything else is refused with 403 before a handler runs.
 */
export function csrfProtection(): RequestHandler {
  return (req, res, next) => {
    const session = req.session;
    // Visitors get no token (and so no stored session) until they sign in: they have no forms.
    if (session.csrfToken === undefined && session.userId !== undefined) {
      session.csrfToken = randomBytes(24).toString('base64url');
    }
    res.locals.csrfToken = session.csrfToken ?? '';
    if (SAFE.has(req.method)) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const sent =
      (typeof body?._csrf === 'string' ? body._csrf : undefined) ??
      req.get('x-csrf-token') ??
      (req.is('multipart/form-data') && typeof req.query._csrf === 'string'
        ? req.query._csrf
        : undefined);
    if (
      typeof sent === 'string' &&
      session.csrfToken !== undefined &&
      same(sent, session.csrfToken)
    )
      return next();
    res.status(403);
    next(
      Object.assign(
        new Error('The form was stale or did not come from this site (CSRF check failed)'),
        { status: 403, expose: true, code: 'CSRF' },
      ),
    );
  };
}
