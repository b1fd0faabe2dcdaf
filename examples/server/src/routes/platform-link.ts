import { Router } from 'express';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { checkPassword } from '../api/accounts/password.js';
import { AccountRepository } from '../api/storage/accounts.js';
import type { PlatformDatabase } from '../api/storage/platform-schema.js';
import type { AppContext } from '../context.js';
import { html } from '../views/html.js';
import { csrfField, layout } from '../views/layout.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { requireUser } from './require-user.js';

const linkSchema = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
});

/**
 * `/settings/platform`: a web user signed in with Spotify links its platform API account (email
 * and password, see docs/platform-api.md) or removes the link. The forms go through the session
 * and CSRF middleware like every page.
 */
export function platformLinkRoutes(ctx: AppContext): Router {
  const router = Router();
  const accounts = new AccountRepository(
    ctx.database.db as unknown as Kysely<PlatformDatabase>,
    ctx.clock,
  );
  router.use('/settings/platform', requireUser);

  const render = async (
    req: Parameters<typeof pageContext>[0],
    res: Parameters<typeof pageContext>[1],
    status: number,
    message?: string,
  ) => {
    const user = currentUser(res);
    const page = pageContext(req, res);
    const linked = await accounts.byWebUser(user.id);
    const body = linked
      ? html`<p>This sign-in is linked to the platform account <strong>${linked.email}</strong> (${linked.role}).</p>
        <form method="post" action="/settings/platform/unlink">${csrfField(page)}<button type="submit">Remove the link</button></form>`
      : html`<p>Link a platform API account (made with <code>POST /api/v1/auth/register</code>) to this Spotify sign-in.</p>
        <form method="post" action="/settings/platform/link" class="stack">
          ${csrfField(page)}
          <label for="platform-email">Email</label>
          <input id="platform-email" name="email" type="email" autocomplete="username" required>
          <label for="platform-password">Password</label>
          <input id="platform-password" name="password" type="password" autocomplete="current-password" required>
          <button type="submit">Link</button>
        </form>`;
    sendPage(
      res,
      status,
      layout(page, {
        title: 'Platform account',
        body: html`<h1>Platform account</h1>
        ${message === undefined ? '' : html`<div class="banner" role="status">${message}</div>`}
        <section class="card">${body}</section>`,
      }),
    );
  };

  router.get('/settings/platform', async (req, res) => render(req, res, 200));

  router.post('/settings/platform/link', async (req, res) => {
    const user = currentUser(res);
    const input = linkSchema.safeParse(req.body);
    const found = input.success ? await accounts.credentialsOf(input.data.email) : null;
    const ok =
      input.success && (await checkPassword(found?.passwordHash ?? null, input.data.password));
    if (!ok || found === null) return render(req, res, 400, 'The email or the password is wrong.');
    if (!(await accounts.linkWebUser(found.account.id, user.id)))
      return render(req, res, 409, 'That platform account is linked to another Spotify sign-in.');
    return render(req, res, 200, 'Linked.');
  });

  router.post('/settings/platform/unlink', async (req, res) => {
    await accounts.unlinkWebUser(currentUser(res).id);
    return render(req, res, 200, 'The link is removed.');
  });
  return router;
}
