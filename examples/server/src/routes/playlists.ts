import { randomBytes } from 'node:crypto';
import { isPlaylistsError, type Rule } from '@spoti/playlists';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { PlaylistsRefreshResult } from '../jobs/playlists.js';
import { ServerError } from '../server-error.js';
import {
  type LoadedLibrary,
  PlaylistsService,
  type SmartPlaylist,
} from '../services/playlists-service.js';
import { MAX_QUERY_LENGTH, checkQuery } from '../services/query-check.js';
import {
  type RuleForm,
  type WhyAnswer,
  playlistPage,
  playlistsIndexPage,
  tryRulePage,
} from '../views/playlists-page.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { sessionCall } from './session-call.js';
import { requireUser } from './require-user.js';

const text = (max: number, field: string) =>
  z.string().max(max, `${field} must be at most ${max} characters`);
const checkSchema = z.object({ query: text(MAX_QUERY_LENGTH * 2, 'query').default('') });
const trySchema = z.object({
  query: text(MAX_QUERY_LENGTH * 2, 'query').default(''),
  name: text(100, 'name').default(''),
  key: z.string().max(64).default(''),
});
const createSchema = z.object({
  key: z.string().regex(/^[0-9a-f]{16}$/, 'key must be the 16 hex digits the form carries'),
  name: text(100, 'name').default(''),
  query: text(MAX_QUERY_LENGTH * 2, 'query'),
});
const whySchema = z.object({ why: text(200, 'why').optional() });
const autoSchema = z.object({ on: z.enum(['0', '1'], 'on must be 0 or 1') });

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new ServerError(
      'INVALID_INPUT',
      issue?.message.startsWith(path) === true
        ? issue.message
        : `${path || 'input'}: ${issue?.message ?? 'is invalid'}`,
    );
  }
  return parsed.data;
}

const newKey = () => randomBytes(8).toString('hex');

async function flashAndBack(req: Request, res: Response, message: string, to: string) {
  req.session.flash = message;
  // Saved before the redirect: a browser follows it as soon as the headers arrive.
  await sessionCall((cb) => req.session.save(cb));
  res.redirect(303, to);
}

function saveMessage(p: SmartPlaylist, result: PlaylistsRefreshResult): string {
  const r = result.refreshed[0];
  if (result.status === 'reconnect-required') {
    return 'Spotify asks you to sign in again before playlists can be saved.';
  }
  if (r === undefined || result.status === 'skipped')
    return 'Nothing was saved: reconnect Spotify first.';
  if (r.status === 'busy') return `“${p.name}” is being saved already: reload in a moment.`;
  if (r.status === 'failed') return `Saving “${p.name}” failed: ${r.error ?? 'unknown error'}`;
  const what = r.created
    ? 'created on Spotify'
    : r.writeCalls === 0
      ? 'already up to date on Spotify'
      : 'updated on Spotify';
  return `“${p.name}” ${what}: ${r.tracks ?? 0} tracks, ${r.writeCalls ?? 0} write calls.`;
}

/** The index page (the user's playlists with their preview counts and the rule form). */
async function renderIndex(
  ctx: AppContext,
  service: PlaylistsService,
  req: Request,
  res: Response,
  status: number,
  form: RuleForm,
): Promise<void> {
  const user = currentUser(res);
  const all = await service.list(user.id);
  const library = await service.loadLibrary(user, ctx.clock.now());
  const rules = service.rulesBySlug(all);
  const lines = all.map((playlist) => {
    const preview = service.preview(library, playlist.rule, rules);
    return { playlist, count: preview.count, durationMs: preview.durationMs };
  });
  sendPage(
    res,
    status,
    playlistsIndexPage(pageContext(req, res), { lines, form, timeZone: user.timeZone }),
  );
}

/**
 * The rule form: the index, the live check of a query (JSON; a GET changes nothing, so it needs
 * no CSRF token), trying a rule on the library, and keeping it (once per form key).
 */
function ruleFormRoutes(router: Router, ctx: AppContext, service: PlaylistsService): void {
  router.get('/playlists', async (req, res) => {
    await renderIndex(ctx, service, req, res, 200, { key: newKey(), name: '', query: '' });
  });

  router.get('/playlists/check', (req, res) => {
    const { query } = parse(checkSchema, req.query);
    const check = checkQuery(query);
    res.set('Cache-Control', 'no-store');
    res.json(
      check.ok
        ? { ok: true }
        : { ok: false, message: check.message, start: check.start, end: check.end },
    );
  });

  router.get('/playlists/try', async (req, res) => {
    const user = currentUser(res);
    const q = parse(trySchema, req.query);
    const check = checkQuery(q.query);
    const form = {
      key: /^[0-9a-f]{16}$/.test(q.key) ? q.key : newKey(),
      name: q.name,
      query: q.query,
      check,
    };
    let preview = null;
    if (check.ok) {
      const all = await service.list(user.id);
      const library = await service.loadLibrary(user, ctx.clock.now());
      preview = service.preview(library, check.rule, service.rulesBySlug(all));
    }
    sendPage(res, check.ok ? 200 : 400, tryRulePage(pageContext(req, res), { form, preview }));
  });

  router.post('/playlists', async (req, res) => {
    const user = currentUser(res);
    const body = parse(createSchema, req.body);
    const check = checkQuery(body.query);
    if (!check.ok) {
      // Without JavaScript the form lands here: the page again, with the error and its position.
      await renderIndex(ctx, service, req, res, 400, { ...body, check });
      return;
    }
    const { slug, created } = await service.createCustom(user.id, {
      key: body.key,
      name: body.name,
      query: body.query,
      now: ctx.clock.now(),
    });
    await flashAndBack(
      req,
      res,
      created
        ? 'Rule kept. Save it to Spotify when the preview looks right.'
        : 'This rule was kept already.',
      `/playlists/${slug}`,
    );
  });
}

/** The answer to "why is this track in (or not in) the playlist" for the text the user typed. */
function whyAnswer(
  service: PlaylistsService,
  library: LoadedLibrary,
  playlist: SmartPlaylist,
  rules: Record<string, Rule>,
  whyText: string,
): WhyAnswer | null {
  if (whyText === '') return null;
  const candidates = service.findTracks(library, whyText);
  if (candidates.length > 1) return { kind: 'choose', text: whyText, candidates };
  const only = candidates[0];
  if (only === undefined) return { kind: 'none', text: whyText };
  try {
    const explanation = service.explain(library, playlist.rule, rules, only.id);
    return { kind: 'explained', track: only, explanation };
  } catch (error) {
    if (!isPlaylistsError(error) || error.code !== 'UNKNOWN_TRACK') throw error;
    return { kind: 'none', text: whyText };
  }
}

/** One playlist: its page with preview and "why", saving it to Spotify, auto-refresh, deleting. */
function playlistRoutes(router: Router, ctx: AppContext, service: PlaylistsService): void {
  const smart = async (res: Response, slug: string): Promise<SmartPlaylist> => {
    const playlist = await service.get(currentUser(res).id, slug);
    if (playlist === null) throw new ServerError('NOT_FOUND', `No smart playlist "${slug}"`);
    return playlist;
  };

  router.get('/playlists/:slug', async (req, res) => {
    const user = currentUser(res);
    const playlist = await smart(res, String(req.params.slug));
    const { why } = parse(whySchema, req.query);
    const all = await service.list(user.id);
    const rules = service.rulesBySlug(all);
    const library = await service.loadLibrary(user, ctx.clock.now());
    const preview = service.preview(library, playlist.rule, rules);
    const whyText = why?.trim() ?? '';
    const answer = whyAnswer(service, library, playlist, rules, whyText);
    sendPage(
      res,
      200,
      playlistPage(pageContext(req, res), {
        playlist,
        preview,
        why: answer,
        whyText,
        timeZone: user.timeZone,
      }),
    );
  });

  router.post('/playlists/:slug/save', async (req, res) => {
    const user = currentUser(res);
    const playlist = await smart(res, String(req.params.slug));
    const result = await ctx.runner.run(
      'playlists-refresh',
      { userId: user.id, ruleId: playlist.slug },
      user.id,
    );
    await flashAndBack(req, res, saveMessage(playlist, result), `/playlists/${playlist.slug}`);
  });

  router.post('/playlists/:slug/auto-refresh', async (req, res) => {
    const user = currentUser(res);
    const playlist = await smart(res, String(req.params.slug));
    const { on } = parse(autoSchema, req.body);
    const now = ctx.clock.now();
    await service.ensureStored(user.id, playlist, now);
    await service.repo.setAutoRefresh(user.id, playlist.slug, on === '1', now);
    await flashAndBack(
      req,
      res,
      on === '1'
        ? `Auto-refresh is on for “${playlist.name}”: it is saved to Spotify every day and after each library sync.`
        : `Auto-refresh is off for “${playlist.name}”.`,
      `/playlists/${playlist.slug}`,
    );
  });

  router.post('/playlists/:slug/delete', async (req, res) => {
    const user = currentUser(res);
    const slug = String(req.params.slug);
    const playlist = await service.get(user.id, slug);
    if (playlist?.kind === 'builtin') {
      throw new ServerError('INVALID_INPUT', 'Built-in smart playlists cannot be deleted');
    }
    // Repeating a delete whose answer was lost finds nothing left and says so. A save running
    // meanwhile records its outcome on no row (the Spotify playlist stays, as the page says).
    const removed = await service.repo.remove(user.id, slug);
    await flashAndBack(
      req,
      res,
      removed ? `Rule “${playlist?.name ?? slug}” deleted.` : 'That rule was deleted already.',
      '/playlists',
    );
  });
}

/**
 * `/playlists`: the six built-in smart playlists and the user's rules in the text query
 * language, with a live check (`GET /playlists/check`), a preview, "why is this track in / not
 * in", "save to Spotify" (through the `playlists-refresh` job) and auto-refresh.
 */
export function playlistsRoutes(ctx: AppContext): Router {
  const router = Router();
  const service = new PlaylistsService(ctx.database, ctx.clock);
  router.use('/playlists', requireUser);
  ruleFormRoutes(router, ctx, service);
  playlistRoutes(router, ctx, service);
  return router;
}
