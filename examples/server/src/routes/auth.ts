import {
  createMemoryTokenStore,
  buildAuthorizeUrl,
  createPkcePair,
  createState,
  isSpotifyError,
} from '@spoti/client';
import { isTimeZone } from '@spoti/catalog';
import { Router } from 'express';
import { z } from 'zod';
import { SCOPES } from '../auth/spotify.js';
import type { AppContext } from '../context.js';
import { DbTokenStore } from '../storage/tokens.js';
import { html } from '../views/html.js';
import { messagePage } from '../views/layout.js';
import { pageContext, sendPage } from './page-context.js';

const LOGIN_TTL_MS = 10 * 60_000;

const loginQuery = z.object({
  listener: z.string().max(100).optional(),
  tz: z.string().max(64).optional(),
});

const callbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(256).optional(),
  error: z.string().max(200).optional(),
});

/** Promisified `req.session.regenerate` / `save` / `destroy`. */
const sessionCall = (fn: (cb: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

/**
 * Sign-in with Spotify: `GET /login` (authorization code + PKCE S256 + state, exact redirect URI,
 * the scopes in `SCOPES` only), `GET /callback`, `POST /logout`.
 */
export function authRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/login', async (req, res) => {
    const query = loginQuery.safeParse(req.query);
    const q = query.success ? query.data : {};
    const mock = ctx.spotify.mock;
    if (mock !== undefined && q.listener !== undefined && mock.world.users.has(q.listener)) {
      // The embedded Spotify signs in whoever it is told to: the demo listener picked on the home page.
      mock.controls.auth.setConsentUser(q.listener);
    }
    const pkce = createPkcePair();
    const state = createState();
    req.session.login = { state, verifier: pkce.verifier, startedAt: ctx.clock.now() };
    if (q.tz !== undefined && isTimeZone(q.tz)) req.session.login.tz = q.tz;
    await sessionCall((cb) => req.session.save(cb));
    res.redirect(
      303,
      buildAuthorizeUrl({
        accountsBaseUrl: ctx.spotify.accountsBaseUrl,
        clientId: ctx.spotify.clientId,
        redirectUri: ctx.redirectUri(),
        scopes: SCOPES.map((s) => s.scope),
        state,
        codeChallenge: pkce.challenge,
      }),
    );
  });

  router.get('/callback', async (req, res) => {
    const page = (
      status: number,
      title: string,
      text: string,
      action = { href: '/login', label: 'Try signing in again' },
    ) => sendPage(res, status, messagePage(pageContext(req, res), { title, text, action }));
    const parsed = callbackQuery.safeParse(req.query);
    if (!parsed.success)
      return page(400, 'Sign-in failed', 'Spotify sent back a callback this server cannot read.');
    const q = parsed.data;
    const login = req.session.login;
    delete req.session.login;
    if (q.error !== undefined) {
      if (q.error === 'access_denied') {
        return page(
          400,
          'You did not allow access',
          'Spotify says you declined. Nothing was stored. You can sign in again whenever you like.',
        );
      }
      return page(400, 'Sign-in failed', `Spotify answered with the error "${q.error}".`);
    }
    if (q.state === undefined || login === undefined) {
      return page(
        400,
        'Sign-in link expired',
        'This sign-in did not start here or was already used (the state is missing). Start again from the sign-in button.',
      );
    }
    if (q.state !== login.state) {
      return page(
        400,
        'Sign-in refused',
        'The state in the answer does not match the sign-in this browser started (a replayed or forged callback). Start again.',
      );
    }
    if (ctx.clock.now() - login.startedAt > LOGIN_TTL_MS) {
      return page(
        400,
        'Sign-in took too long',
        'More than ten minutes passed since the sign-in started. Start again.',
      );
    }
    if (q.code === undefined)
      return page(400, 'Sign-in failed', 'Spotify did not send an authorization code.');

    const memory = createMemoryTokenStore();
    const client = ctx.spotify.clientFor(memory, ctx.redirectUri());
    let me: { id: string; display_name?: string | null | undefined };
    try {
      await client.exchangeCode({
        code: q.code,
        codeVerifier: login.verifier,
        redirectUri: ctx.redirectUri(),
      });
      me = await client.getMe();
    } catch (error) {
      if (isSpotifyError(error) && error.code === 'REAUTHORIZATION_REQUIRED') {
        return page(
          400,
          'Sign-in code expired',
          'The authorization code from Spotify expired or was already used. Start again.',
        );
      }
      if (isSpotifyError(error) && (error.code === 'FORBIDDEN' || error.status === 403)) {
        return sendPage(
          res,
          403,
          messagePage(pageContext(req, res), {
            title: 'This Spotify account is not on the app’s allow-list',
            text: 'Spotify apps in Development Mode only serve the accounts their owner added to the app’s allow-list (up to five).',
            detail: html`<ol>
              <li>The app owner opens the app in Spotify’s developer dashboard and goes to <strong>User Management</strong>.</li>
              <li>They add your name and the email address of your Spotify account.</li>
              <li>You sign in here again.</li>
            </ol>`,
            action: { href: '/login', label: 'Sign in again' },
          }),
        );
      }
      ctx.logger.warn({ err: error }, 'sign-in failed');
      return page(
        502,
        'Spotify did not answer',
        'The code exchange with Spotify failed. Try again in a moment.',
      );
    } finally {
      await client.close();
    }
    const tokens = memory.get();
    if (tokens === undefined) return page(502, 'Sign-in failed', 'Spotify returned no tokens.');
    const tz = login.tz ?? 'UTC';
    const user = await ctx.users.upsertFromSpotify({
      spotifyId: me.id,
      displayName: me.display_name ?? me.id,
      timeZone: tz,
      now: ctx.clock.now(),
    });
    await new DbTokenStore(ctx.database.db, ctx.cipher, user.id, () => ctx.clock.now()).set(tokens);
    // A new session id at sign-in (no fixation), then the user's first sync through the job function.
    await sessionCall((cb) => req.session.regenerate(cb));
    req.session.userId = user.id;
    await sessionCall((cb) => req.session.save(cb));
    await ctx.runner.run('account-sync', { userId: user.id, library: false }, user.id);
    ctx.runner.start('account-sync', { userId: user.id, plays: false }, user.id);
    res.redirect(303, '/dashboard');
  });

  router.post('/logout', async (req, res) => {
    const userId = req.session.userId;
    if (userId !== undefined) {
      await new DbTokenStore(ctx.database.db, ctx.cipher, userId, () => ctx.clock.now()).clear();
    }
    await sessionCall((cb) => req.session.destroy(cb));
    res.clearCookie('spoti.sid', { path: '/' });
    res.redirect(303, '/');
  });

  return router;
}
