import type { Request, Response } from 'express';
import type { PageContext } from '../views/layout.js';
import type { ServerUser } from '../storage/users.js';

/** The page context of a request: nonce, CSRF token, user, path and a one-time message. */
export function pageContext(req: Request, res: Response): PageContext {
  const user = res.locals.user as ServerUser | undefined;
  const flash = req.session?.flash;
  if (flash !== undefined && req.session) delete req.session.flash;
  return {
    nonce: String(res.locals.nonce ?? ''),
    csrfToken: String(res.locals.csrfToken ?? ''),
    user:
      user === undefined
        ? null
        : { displayName: user.displayName, reconnectRequired: user.reconnectRequired },
    path: req.path,
    flash,
  };
}

/** The signed-in user (the route is behind `requireUser`). */
export function currentUser(res: Response): ServerUser {
  return res.locals.user as ServerUser;
}

/** Sends a page as HTML. */
export function sendPage(res: Response, status: number, page: string): void {
  res.status(status).type('html').set('Cache-Control', 'no-store').send(page);
}
