import {
  createMemoryTokenStore,
  buildAuthorizeUrl,
  createPkcePair,
  createState,
  isSpotifyError,
} from '@spoti/client';
import { isTimeZone } from '@spoti/catalog';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { SCOPES } from '../auth/spotify.js';
import type { AppContext } from '../context.js';
import { DbTokenStore } from '../storage/tokens.js';
import { html } from '../views/html.js';
import { messagePage } from '../views/layout.js';
import { pageContext, sendPage } from './page-context.js';
import { sessionCall } from './session-call.js';

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

type Login = NonNullable<Request['session']['login']>;

/** A page that ends a sign-in that did not work. */
interface Refusal {
  readonly status: number;
  readonly title: string;
  readonly text: string;
}

const refusal = (title: string, text: string, status = 400): Refusal => ({ status, title, text });

/**
 * Why a callback cannot go on to the code exchange (Spotify's error, a missing, replayed or stale
 * state, no code), or undefined when it can.
 */
function callbackRefusal(
  q: z.output<typeof callbackQuery>,
  login: Login | undefined,
  now: number,
): Refusal | undefined {
  if (q.error === 'access_denied') {
    return refusal(
      'You did not allow access',
      'Spotify says you declined. Nothing was stored. You can sign in again whenever you like.',
    );
  }
  if (q.error !== undefined) {
    return refusal('Sign-in failed', `Spotify answered with the error "${q.error}".`);
  }
  if (q.state === undefined || login === undefined) {
    return refusal(
      'Sign-in link expired',
      'This sign-in did not start here or was already used (the state is missing). Start again from the sign-in button.',
    );
  }
  if (q.state !== login.state) {
    return refusal(
      'Sign-in refused',
      'The state in the answer does not match the sign-in this browser started (a replayed or forged callback). Start again.',
    );
  }
  if (now - login.startedAt > LOGIN_TTL_MS) {
    return refusal(
      'Sign-in took too long',
      'More than ten minutes passed since the sign-in started. Start again.',
    );
  }
  if (q.code === undefined) {
    return refusal('Sign-in failed', 'Spotify did not send an authorization code.');
  }
  return undefined;
}

/** The page for an account Spotify refuses because it is not on a Development Mode app's allow-list. */
function notAllowListedPage(req: Request, res: Response): void {
  sendPage(
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

type Exchanged =
  | { readonly kind: 'signed-in'; readonly me: Me; readonly tokens: StoredTokens }
  | { readonly kind: 'not-allow-listed' }
  | { readonly kind: 'refused'; readonly refusal: Refusal };
type Me = { id: string; display_name?: string | null | undefined };
type StoredTokens = NonNullable<ReturnType<ReturnType<typeof createMemoryTokenStore>['get']>>;

/** Exchanges the authorization code for tokens and reads who signed in. */
async function exchangeCode(ctx: AppContext, code: string, verifier: string): Promise<Exchanged> {
  const memory = createMemoryTokenStore();
  const client = ctx.spotify.clientFor(memory, ctx.redirectUri());
  let me: Me;
  try {
    await client.exchangeCode({ code, codeVerifier: verifier, redirectUri: ctx.redirectUri() });
    me = await client.getMe();
  } catch (error) {
    if (isSpotifyError(error) && error.code === 'REAUTHORIZATION_REQUIRED') {
      const text = 'The authorization code from Spotify expired or was already used. Start again.';
      return { kind: 'refused', refusal: refusal('Sign-in code expired', text) };
    }
    if (isSpotifyError(error) && (error.code === 'FORBIDDEN' || error.status === 403)) {
      return { kind: 'not-allow-listed' };
    }
    ctx.logger.warn({ err: error }, 'sign-in failed');
    const text = 'The code exchange with Spotify failed. Try again in a moment.';
    return { kind: 'refused', refusal: refusal('Spotify did not answer', text, 502) };
  } finally {
    await client.close();
  }
  const tokens = memory.get();
  if (tokens === undefined) {
    return {
      kind: 'refused',
      refusal: refusal('Sign-in failed', 'Spotify returned no tokens.', 502),
    };
  }
  return { kind: 'signed-in', me, tokens };
}

/**
 * Stores the user and their tokens, starts a new session (no fixation), and runs the user's first
 * sync through the job function (plays now, the library in the background).
 */
async function signIn(
  ctx: AppContext,
  req: Request,
  signedIn: { me: Me; tokens: StoredTokens; timeZone: string },
): Promise<void> {
  const { me, tokens } = signedIn;
  const user = await ctx.users.upsertFromSpotify({
    spotifyId: me.id,
    displayName: me.display_name ?? me.id,
    timeZone: signedIn.timeZone,
    now: ctx.clock.now(),
  });
  await new DbTokenStore(ctx.database.db, ctx.cipher, user.id, () => ctx.clock.now()).set(tokens);
  await sessionCall((cb) => req.session.regenerate(cb));
  req.session.userId = user.id;
  await sessionCall((cb) => req.session.save(cb));
  await ctx.runner.run('account-sync', { userId: user.id, library: false }, user.id);
  ctx.runner.start('account-sync', { userId: user.id, plays: false }, user.id);
}

/** `GET /callback`: checks the answer against the sign-in this browser started, then signs in. */
async function callback(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const refuse = (r: Refusal) =>
    sendPage(
      res,
      r.status,
      messagePage(pageContext(req, res), {
        title: r.title,
        text: r.text,
        action: { href: '/login', label: 'Try signing in again' },
      }),
    );
  const parsed = callbackQuery.safeParse(req.query);
  if (!parsed.success) {
    return refuse(
      refusal('Sign-in failed', 'Spotify sent back a callback this server cannot read.'),
    );
  }
  const q = parsed.data;
  const login = req.session.login;
  delete req.session.login;
  const refused = callbackRefusal(q, login, ctx.clock.now());
  if (refused !== undefined || login === undefined || q.code === undefined) {
    return refuse(refused ?? refusal('Sign-in failed', 'No sign-in to finish.'));
  }
  const exchanged = await exchangeCode(ctx, q.code, login.verifier);
  if (exchanged.kind === 'not-allow-listed') return notAllowListedPage(req, res);
  if (exchanged.kind === 'refused') return refuse(exchanged.refusal);
  await signIn(ctx, req, { ...exchanged, timeZone: login.tz ?? 'UTC' });
  res.redirect(303, '/dashboard');
}

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

  router.get('/callback', (req, res) => callback(ctx, req, res));

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
