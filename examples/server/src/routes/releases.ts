import {
  createUnsubscribeToken,
  isReleasesError,
  verifyConfirmationToken,
  verifyUnsubscribeToken,
} from '@spoti/releases';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { ServerError } from '../server-error.js';
import {
  recentReleases,
  releasesErrorText,
  subscriptionState,
} from '../services/releases-service.js';
import { messagePage } from '../views/layout.js';
import { linkActionPage, releasesPage } from '../views/releases-page.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { sessionCall } from './session-call.js';
import { type PageRequest, type PageRoute, mountPageRoutes } from './page-routes.js';
import { requireUser } from './require-user.js';

const subscribeSchema = z.object({
  email: z.string().trim().max(254, 'is too long').email('must be an email address'),
  cadence: z.enum(['biweekly', 'weekly'], 'must be biweekly or weekly').default('biweekly'),
});

const tokenSchema = z.object({ token: z.string().min(10).max(2048) });

/** The `token` query parameter, or a 400. */
function tokenOf(req: Request): string {
  const parsed = tokenSchema.safeParse(req.query);
  if (!parsed.success) throw new ServerError('INVALID_INPUT', 'The link has no valid token');
  return parsed.data.token;
}

function linkError(req: Request, res: Response, error: unknown): void {
  const text = releasesErrorText(error);
  if (text === null) throw error;
  sendPage(
    res,
    400,
    messagePage(pageContext(req, res), {
      title: 'That link did not work',
      text,
      action: { href: '/releases', label: 'Release emails' },
    }),
  );
}

/** The dev outbox's address when mail goes to files (the embedded mock without SMTP). */
function outboxHref(ctx: AppContext): string | null {
  return ctx.spotify.kind === 'embedded' && ctx.releases.outbox !== null ? '/dev/outbox' : null;
}

async function releasesIndex(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const now = ctx.clock.now();
  const subscriber = await ctx.releases.watcher.store.getSubscriber(user.id);
  const state = subscriptionState(subscriber);
  const follows = await ctx.database.catalog.listFollows(user.id);
  const watched =
    subscriber === null ? [] : await ctx.releases.watcher.store.getSubscriberArtists(user.id);
  const artists = [...new Set([...follows.map((f) => f.artistId), ...watched])];
  const preview =
    state === 'active' || state === 'pending'
      ? await ctx.releases.watcher.previewDigest(user.id, { now })
      : null;
  sendPage(
    res,
    200,
    releasesPage(pageContext(req, res), {
      releases: await recentReleases(ctx.releases, artists, now),
      followedArtists: artists.length,
      subscriber,
      state,
      email: subscriber?.email ?? user.email ?? '',
      timeZone: user.timeZone,
      preview,
      outboxHref: outboxHref(ctx),
    }),
  );
}

async function subscribe(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const parsed = subscribeSchema.safeParse(req.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServerError(
      'INVALID_INPUT',
      `${issue?.path.join('.') || 'form'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  let result: Awaited<ReturnType<typeof ctx.releases.watcher.subscribe>>;
  try {
    result = await ctx.releases.watcher.subscribe(
      {
        id: user.id,
        email: parsed.data.email,
        displayName: user.displayName,
        timeZone: user.timeZone,
        cadence: parsed.data.cadence,
      },
      {
        mailer: ctx.releases.mailer,
        from: ctx.releases.from,
        confirmation: { secret: ctx.releases.secret, baseUrl: ctx.releases.confirmUrl() },
      },
    );
  } catch (error) {
    const text = releasesErrorText(error);
    if (text === null) throw error;
    throw new ServerError('INVALID_INPUT', text, { cause: error });
  }
  // Watch the user's artists now (from the mirrored follows; the sweep reads them from Spotify
  // again), so the page and the first digest have their releases when the address is confirmed.
  if ((await ctx.releases.watcher.store.getSubscriberArtists(user.id)).length === 0) {
    const follows = await ctx.database.catalog.listFollows(user.id);
    await ctx.releases.watcher.setSubscriberArtists(
      user.id,
      follows.map((f) => f.artistId),
    );
  }
  ctx.runner.start(
    'release-sweep',
    { userIds: [user.id], trigger: 'subscribe', wait: true },
    user.id,
  );
  req.session.flash =
    result.status === 'active'
      ? 'Saved.'
      : result.confirmationSent
        ? `Check your inbox: we sent a confirmation link to ${result.subscriber.email}.`
        : `A confirmation link went to ${result.subscriber.email} a moment ago: check your inbox (and spam folder).`;
  await sessionCall((cb) => req.session.save(cb));
  res.redirect(303, '/releases');
}

async function stop(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  if ((await ctx.releases.watcher.store.getSubscriber(user.id)) !== null) {
    const token = createUnsubscribeToken({
      userId: user.id,
      secret: ctx.releases.secret,
      issuedAt: ctx.clock.now(),
    });
    await ctx.releases.watcher.unsubscribe(token, ctx.releases.secret);
  }
  req.session.flash = 'Unsubscribed: no more release emails.';
  await sessionCall((cb) => req.session.save(cb));
  res.redirect(303, '/releases');
}

async function previewDigest(ctx: AppContext, _req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  if ((await ctx.releases.watcher.store.getSubscriber(user.id)) === null) {
    throw new ServerError('NOT_FOUND', 'Subscribe first to preview your digest');
  }
  const preview = await ctx.releases.watcher.previewDigest(user.id, {
    now: ctx.clock.now(),
    unsubscribeUrl: ctx.releases.unsubscribeLinkFor(user.id),
  });
  sendMailDocument(res, preview.rendered.html);
}

async function confirmLinkPage(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const token = tokenOf(req);
  try {
    verifyConfirmationToken(token, ctx.releases.secret, ctx.clock.now());
  } catch (error) {
    return linkError(req, res, error);
  }
  sendPage(
    res,
    200,
    linkActionPage(pageContext(req, res), {
      title: 'Confirm your address',
      text: 'Confirm that you want the release emails at this address.',
      href: `/releases/confirm?token=${encodeURIComponent(token)}`,
      button: 'Confirm my address',
    }),
  );
}

async function unsubscribeLinkPage(
  ctx: AppContext,
  req: PageRequest,
  res: Response,
): Promise<void> {
  const token = tokenOf(req);
  try {
    verifyUnsubscribeToken(token, ctx.releases.secret);
  } catch (error) {
    return linkError(req, res, error);
  }
  sendPage(
    res,
    200,
    linkActionPage(pageContext(req, res), {
      title: 'Unsubscribe',
      text: 'Stop the release emails? One click, and none will be sent again.',
      href: `/releases/unsubscribe?token=${encodeURIComponent(token)}`,
      button: 'Unsubscribe',
    }),
  );
}

/** The release pages, in matching order; the mail links work signed out. */
const RELEASES_ROUTES: readonly PageRoute<AppContext>[] = [
  { method: 'get', path: '/releases', handle: releasesIndex, before: [requireUser] },
  { method: 'post', path: '/releases/subscribe', handle: subscribe, before: [requireUser] },
  { method: 'post', path: '/releases/stop', handle: stop, before: [requireUser] },
  { method: 'get', path: '/releases/preview', handle: previewDigest, before: [requireUser] },
  { method: 'get', path: '/releases/confirm', handle: confirmLinkPage },
  { method: 'get', path: '/releases/unsubscribe', handle: unsubscribeLinkPage },
];

/**
 * `/releases` (signed in): new releases of the artists you follow (last 4 weeks), the digest
 * subscription (double opt-in; every two weeks or weekly), a preview of the next digest; and the
 * pages behind the links in the mails (`GET /releases/confirm`, `GET /releases/unsubscribe`),
 * which work signed out.
 */
export function releasesRoutes(ctx: AppContext): Router {
  const router = Router();

  return mountPageRoutes(router, ctx, RELEASES_ROUTES);
}

/**
 * The POST ends of the links in the mails: they carry a signed token instead of a session, so
 * they are mounted before the session and CSRF middleware (a mail client's RFC 8058 one-click
 * POST has neither), behind their own rate limit. Both are safe to repeat.
 */
export function releaseLinkRoutes(ctx: AppContext, limit: RequestHandler): Router {
  const router = Router();

  router.post('/releases/confirm', limit, async (req, res) => {
    const token = tokenOf(req);
    let userId: string;
    try {
      userId = (await ctx.releases.watcher.confirm(token, ctx.releases.secret)).id;
    } catch (error) {
      return linkError(req, res, error);
    }
    // The first digest (the past 4 weeks) goes out as soon as the user's artists were swept.
    ctx.runner.start(
      'release-sweep',
      { userIds: [userId], trigger: 'confirm', wait: true },
      userId,
    );
    sendPage(
      res,
      200,
      messagePage(pageContext(req, res), {
        title: 'Address confirmed',
        text: 'Thank you. Your first email, with the new releases of the past four weeks, is on its way.',
        action: { href: '/releases', label: 'New releases' },
      }),
    );
  });

  router.post('/releases/unsubscribe', limit, async (req, res) => {
    const token = tokenOf(req);
    let known = true;
    try {
      await ctx.releases.watcher.unsubscribe(token, ctx.releases.secret);
    } catch (error) {
      // A deleted account has nothing left to unsubscribe: that is a success too.
      if (isReleasesError(error) && error.code === 'NOT_FOUND') known = false;
      else return linkError(req, res, error);
    }
    sendPage(
      res,
      200,
      messagePage(pageContext(req, res), {
        title: 'Unsubscribed',
        text: known
          ? 'You will get no more release emails. Subscribe again from the New releases page at any time.'
          : 'There is no subscription for this link any more: you will get no release emails.',
        action: { href: '/releases', label: 'New releases' },
      }),
    );
  });
  return router;
}

/**
 * Sends a rendered mail as a document of its own, locked down: no scripts, no forms, inline
 * styles and remote cover art allowed, sandboxed (an opaque origin).
 */
export function sendMailDocument(res: Response, markup: string): void {
  res
    .status(200)
    .type('html')
    .set('Cache-Control', 'no-store')
    .set(
      'Content-Security-Policy',
      "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; sandbox allow-popups allow-top-navigation-by-user-activation",
    )
    .send(markup);
}
