import { isTimeZone } from '@spoti/catalog';
import { type Response, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Kysely } from 'kysely';
import { createJobStore } from '../runner/job-store.js';
import { ServerError } from '../server-error.js';
import { deadJobsTable } from '../views/dead-jobs.js';
import { deleteUserEverywhere } from '../storage/delete-user.js';
import { html } from '../views/html.js';
import { csrfField, layout, messagePage } from '../views/layout.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { sessionCall } from './session-call.js';
import { type PageRequest, type PageRoute, mountPageRoutes } from './page-routes.js';
import { requireUser } from './require-user.js';

const settingsSchema = z.object({
  timeZone: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
  email: z
    .union([z.literal(''), z.string().trim().max(254).email('must be an email address')])
    .optional(),
});

const deleteSchema = z.object({ confirm: z.string().max(100) });

function when(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms);
}

async function settingsPage(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const page = pageContext(req, res);
  const runs = await ctx.database.syncState.listRuns(user.id, { limit: 30 });
  const dead = await createJobStore(ctx.database.db as unknown as Kysely<unknown>).listDead(
    user.id,
  );
  const zones = Intl.supportedValuesOf('timeZone');
  sendPage(
    res,
    200,
    layout(page, {
      title: 'Settings',
      script: true,
      body: html`<h1>Settings</h1>
      <section class="card"><h2>Profile</h2>
        <form method="post" action="/settings" class="stack">
          ${csrfField(page)}
          <label for="tz">Time zone</label>
          <input id="tz" name="timeZone" list="zones" value="${user.timeZone}" required data-browser-zone autocomplete="off">
          <datalist id="zones">${zones.map((z) => html`<option value="${z}"></option>`)}</datalist>
          <label for="email">Email (for new-release digests; optional)</label>
          <input id="email" name="email" type="email" value="${user.email ?? ''}" autocomplete="email">
          <button type="submit">Save</button>
        </form>
      </section>
      <section class="card"><h2>Spotify account</h2>
        <p>Connected as <strong>${user.displayName}</strong> (Spotify id <code>${user.spotifyId}</code>)${user.lastSyncAt === null ? '' : `, last synced ${when(user.lastSyncAt, user.timeZone)}`}.</p>
        ${user.reconnectRequired ? html`<p><a class="button" href="/login">Reconnect Spotify</a></p>` : html`<form method="post" action="/settings/sync">${csrfField(page)}<button type="submit">Sync now</button></form>`}
      </section>
      <section class="card"><h2>Sync log</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways on small screens)"><table><caption>Recent sync runs</caption>
          <thead><tr><th scope="col">Started</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col" class="num">Added</th><th scope="col" class="num">Calls</th><th scope="col">Errors</th></tr></thead>
          <tbody>${runs.length === 0 ? html`<tr><td colspan="6">No runs yet.</td></tr>` : runs.map((r) => html`<tr><td>${when(r.startedAt, user.timeZone)}</td><td>${r.kind}</td><td>${r.status}</td><td class="num">${r.added}</td><td class="num">${r.calls}</td><td>${r.errors.join('; ')}</td></tr>`)}</tbody>
        </table></div>
        ${deadJobsTable(dead, user.timeZone)}
      </section>
      <section class="card danger"><h2>Delete account</h2>
        <p>Deletes everything this instance holds about you: plays, library, likes, sync state, imports, sessions and tokens. It cannot be undone.</p>
        <form method="post" action="/account/delete" class="stack">
          ${csrfField(page)}
          <label for="confirm">Type DELETE to confirm</label>
          <input id="confirm" name="confirm" required autocomplete="off" pattern="DELETE">
          <button type="submit" class="danger">Delete my account</button>
        </form>
      </section>`,
    }),
  );
}

async function saveSettings(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const parsed = settingsSchema.safeParse(req.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServerError(
      'INVALID_INPUT',
      `${issue?.path.join('.') ?? 'form'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  const email =
    parsed.data.email === undefined || parsed.data.email === '' ? null : parsed.data.email;
  await ctx.users.updateSettings(user.id, {
    timeZone: parsed.data.timeZone,
    email,
    now: ctx.clock.now(),
  });
  req.session.flash = 'Settings saved.';
  await sessionCall((cb) => req.session.save(cb));
  res.redirect(303, '/settings');
}

async function syncNow(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const result = await ctx.runner.run('account-sync', { userId: user.id }, user.id);
  req.session.flash =
    result.status === 'ok'
      ? `Synced: ${result.playsAdded} new plays, ${result.libraryAdded} new library items.`
      : result.status === 'reconnect-required'
        ? 'Spotify asks you to sign in again.'
        : result.status === 'skipped'
          ? 'Sync skipped: reconnect Spotify first.'
          : `Sync failed: ${result.error ?? 'unknown error'}`;
  // Saved before the redirect: a browser follows it as soon as the headers arrive.
  await sessionCall((cb) => req.session.save(cb));
  res.redirect(303, '/settings');
}

async function deleteAccount(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const parsed = deleteSchema.safeParse(req.body);
  if (!parsed.success || parsed.data.confirm !== 'DELETE') {
    throw new ServerError('INVALID_INPUT', 'Type DELETE (in capitals) to confirm the deletion');
  }
  // Background work of the user finishes first, so nothing writes rows after the deletion.
  await ctx.runner.idle(user.id);
  // Rendered faces live in object storage, which the table walk below does not reach.
  await ctx.faces.deleteUserObjects(user.id);
  await ctx.faces.invalidate(user.id, { sources: true });
  await deleteUserEverywhere(ctx.database, user.id);
  ctx.stats.invalidate(user.id);
  await sessionCall((cb) => req.session.destroy(cb));
  res.clearCookie('spoti.sid', { path: '/' });
  sendPage(
    res,
    200,
    messagePage(
      { ...pageContext(req, res), user: null, csrfToken: '' },
      {
        title: 'Your account is deleted',
        text: 'Everything this instance held about you is gone. Signing in again starts from nothing.',
        action: { href: '/', label: 'Home' },
      },
    ),
  );
}

/** The settings pages and the account deletion, in matching order. */
const SETTINGS_ROUTES: readonly PageRoute<AppContext>[] = [
  { method: 'get', path: '/settings', handle: settingsPage },
  { method: 'post', path: '/settings', handle: saveSettings },
  { method: 'post', path: '/settings/sync', handle: syncNow },
  { method: 'post', path: '/account/delete', handle: deleteAccount },
];

/** `/settings` (time zone, email, account, sync log, sync now) and `POST /account/delete`. */
export function settingsRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(['/settings', '/account'], requireUser);

  return mountPageRoutes(router, ctx, SETTINGS_ROUTES);
}
