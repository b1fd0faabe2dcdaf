import type { RequestHandler } from 'express';
import type { AppContext } from '../context.js';
import type { ServerUser } from '../storage/users.js';
import { messagePage } from '../views/layout.js';
import { pageContext, sendPage } from './page-context.js';

/**
 * Loads the signed-in user into `res.locals.user` (or nothing for visitors): the row the session
 * read brought along when there is one, else from the database.
 */
export function loadUser(
  ctx: AppContext,
  sessions?: { takeUser(sid: string, userId: string): ServerUser | undefined },
): RequestHandler {
  return async (req, res, next) => {
    const id = req.session?.userId;
    if (id === undefined) return next();
    const user = sessions?.takeUser(req.sessionID, id) ?? (await ctx.users.get(id));
    if (user === null) delete req.session.userId;
    else res.locals.user = user;
    next();
  };
}

/** Answers 401 with a sign-in page when nobody is signed in. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (res.locals.user !== undefined) return next();
  sendPage(
    res,
    401,
    messagePage(pageContext(req, res), {
      title: 'Sign in first',
      text: 'This page shows your own listening: sign in with Spotify to see it.',
      action: { href: '/login', label: 'Sign in with Spotify' },
    }),
  );
};
