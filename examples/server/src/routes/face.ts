import { compareFaces, toFaceString } from '@spoti/face';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parsePins } from '../services/face-service.js';
import { type PeriodChoice, parsePeriodQuery, periodKey } from '../services/period.js';
import { ServerError } from '../server-error.js';
import type { ServerUser } from '../storage/users.js';
import { FACE_PERIODS, loadingBody, studioBody } from '../views/face-page.js';
import { faceArtAsset } from '../views/face-scripts.js';
import { html } from '../views/html.js';
import { layout } from '../views/layout.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { sessionCall } from './session-call.js';
import { requireUser } from './require-user.js';

/** How long a page waits for a cold profile before answering with the loading page, ms. */
const LOADING_AFTER_MS = 2500;

const downloadSchema = z.object({
  layout: z.enum(['square', 'banner'], 'layout must be square or banner'),
  format: z.enum(['png', 'webp'], 'format must be png or webp'),
  overlay: z.enum(['1', 'on', 'true']).optional(),
});

/** The label of a period choice. */
export function periodLabel(choice: PeriodChoice): string {
  if (choice.kind === 'year') return String(choice.year);
  if (choice.kind === 'custom') return `${choice.from} to ${choice.to}`;
  return FACE_PERIODS.find((p) => p.value === choice.kind)?.label ?? choice.kind;
}

/** The period of a form's `back` field (the studio's query string), or the default. */
function backChoice(req: Request, currentYear: number): PeriodChoice {
  const back = typeof req.body?.back === 'string' ? req.body.back : '';
  return parsePeriodQuery(Object.fromEntries(new URLSearchParams(back)), currentYear);
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** Resolves within `ms` or gives undefined (the promise keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type FaceService = AppContext['faces'];

/** The profile of a period, the user's pins and seed, and the face they make. */
async function loadStudio(faces: FaceService, user: ServerUser, choice: PeriodChoice) {
  const [studioProfile, choices] = await Promise.all([
    faces.profile(user, choice),
    faces.choices(user.id),
  ]);
  return { studioProfile, choices, face: faces.faceOf(studioProfile.profile, choices) };
}

/** The period and the period to compare with of the studio's query string, checked. */
function studioQuery(query: Record<string, unknown>, currentYear: number) {
  if (
    typeof query.period === 'string' &&
    !FACE_PERIODS.some((p) => p.value === query.period) &&
    query.period !== 'custom'
  ) {
    throw new ServerError(
      'INVALID_INPUT',
      `period must be one of ${FACE_PERIODS.map((p) => p.value).join(', ')}`,
    );
  }
  const choice = parsePeriodQuery({ period: query.period, year: query.year }, currentYear);
  const compareValue = typeof query.compare === 'string' ? query.compare : '';
  let compareChoice: PeriodChoice | null = null;
  if (compareValue !== '') {
    if (!FACE_PERIODS.some((p) => p.value === compareValue && p.value !== 'year')) {
      throw new ServerError(
        'INVALID_INPUT',
        `compare must be one of ${FACE_PERIODS.filter((p) => p.value !== 'year')
          .map((p) => p.value)
          .join(', ')}`,
      );
    }
    compareChoice = parsePeriodQuery({ period: compareValue }, currentYear);
  }
  return { choice, compareChoice, compareValue };
}

/**
 * Public, immutable art: `/face/art/<face>.svg`, the Notionists art of any face string (a face
 * string says nothing about anyone), and `/face/art-data/<hash>.json`, the art data the studio
 * script draws previews with (its name is a hash of its bytes, so it is cached for good).
 */
function artRoutes(router: Router, faces: FaceService): void {
  router.get('/face/art/:file', (req, res) => {
    const match = /^([a-z0-9]{2,80})\.svg$/.exec(req.params.file ?? '');
    if (match === null) throw new ServerError('NOT_FOUND', 'No such face art');
    const svg = faces.artSvg(match[1] as string);
    res
      .type('image/svg+xml')
      .set('Cache-Control', 'public, max-age=31536000, immutable')
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(svg);
  });
  router.get('/face/art-data/:file', (req, res) => {
    const asset = faceArtAsset();
    if (req.params.file !== asset.file) throw new ServerError('NOT_FOUND', 'No such face art data');
    res
      .type('application/json')
      .set('Cache-Control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });
}

/**
 * `GET /face`: the face of a period with every reason and, when asked, the comparison with another
 * period; the loading page when the profile is not ready within {@link LOADING_AFTER_MS}.
 */
async function studioPage(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const faces = ctx.faces;
  const user = currentUser(res);
  const currentYear = new Date(ctx.clock.now()).getUTCFullYear();
  const { choice, compareChoice, compareValue } = studioQuery(
    req.query as Record<string, unknown>,
    currentYear,
  );
  const label = periodLabel(choice);
  const pending = loadStudio(faces, user, choice);
  const ready = await within(
    pending.then((r) => ({ r })),
    LOADING_AFTER_MS,
  );
  if (ready === undefined) {
    pending.catch(() => undefined);
    sendPage(
      res,
      200,
      layout(pageContext(req, res), {
        title: 'Your face',
        head: html`<meta http-equiv="refresh" content="2">`,
        body: loadingBody(label),
      }),
    );
    return;
  }
  const { studioProfile, choices, face } = ready.r;
  let comparison = null;
  if (compareChoice !== null) {
    const other = await faces.profile(user, compareChoice);
    const otherFace = faces.faceOf(other.profile, choices);
    comparison = {
      label: periodLabel(compareChoice),
      value: compareValue,
      face: otherFace,
      changes: compareFaces(otherFace, face),
    };
  }
  const page = pageContext(req, res);
  sendPage(
    res,
    200,
    layout(page, {
      title: 'Your face',
      head: html`<link rel="stylesheet" href="/static/face.css"><script nonce="${page.nonce}" src="/static/studio.js" defer></script>`,
      body: studioBody({
        page,
        face,
        profile: studioProfile.profile,
        choices,
        periodQuery: periodKey(choice),
        period: choice.kind,
        year: choice.kind === 'year' ? choice.year : currentYear,
        periodLabel: label,
        collectedAt: studioProfile.collectedAt,
        timeZone: user.timeZone,
        blocked: studioProfile.blocked,
        comparison,
        compareValue,
        nextSeed: faces.newSeed(),
      }),
    }),
  );
}

/**
 * The studio's choices: pins (a form post that redirects back, or the studio script's fetch that
 * gets JSON), another variation, and collecting the listening again. Repeating any is harmless.
 */
function choiceRoutes(router: Router, ctx: AppContext): void {
  const faces = ctx.faces;
  const currentYear = () => new Date(ctx.clock.now()).getUTCFullYear();
  router.post('/face/pins', async (req, res) => {
    const user = currentUser(res);
    const pins = parsePins((req.body ?? {}) as Record<string, unknown>);
    const before = await faces.choices(user.id);
    await faces.setChoices(user.id, { pins, seed: before.seed });
    if (wantsJson(req)) {
      res.json({ pins });
      return;
    }
    res.redirect(303, `/face?${periodKey(backChoice(req, currentYear()))}`);
  });

  router.post('/face/vary', async (req, res) => {
    const user = currentUser(res);
    const choice = backChoice(req, currentYear());
    const before = await faces.choices(user.id);
    const reset = req.body?.reset === '1';
    const seed = typeof req.body?.seed === 'string' ? req.body.seed : '';
    if (!reset && !/^[0-9a-f]{12}$/.test(seed)) {
      throw new ServerError('INVALID_INPUT', 'seed must be 12 hexadecimal characters');
    }
    // The seed comes with the page, so a retried post finds it applied and changes nothing.
    const next = reset ? null : seed;
    if (next !== before.seed) {
      if (next !== null) await faces.useRegeneration(user.id);
      await faces.setChoices(user.id, { pins: before.pins, seed: next });
    }
    res.redirect(303, `/face?${periodKey(choice)}`);
  });

  router.post('/face/refresh', async (req, res) => {
    const user = currentUser(res);
    const choice = backChoice(req, currentYear());
    await faces.useRegeneration(user.id);
    await faces.invalidate(user.id, { sources: true });
    req.session.flash = 'Your listening is collected again from Spotify.';
    await sessionCall((cb) => req.session.save(cb));
    res.redirect(303, `/face?${periodKey(choice)}`);
  });
}

/** `POST /face/download`: renders the chosen image, keeps the face in the gallery, sends the file. */
async function download(ctx: AppContext, req: Request, res: Response): Promise<void> {
  const faces = ctx.faces;
  const user = currentUser(res);
  const choice = backChoice(req, new Date(ctx.clock.now()).getUTCFullYear());
  const parsed = downloadSchema.safeParse(req.body ?? {});
  if (!parsed.success) {
    throw new ServerError('INVALID_INPUT', parsed.error.issues[0]?.message ?? 'invalid download');
  }
  const spec = { layout: parsed.data.layout, format: parsed.data.format };
  const { studioProfile, face } = await loadStudio(faces, user, choice);
  const stats =
    parsed.data.overlay === undefined ? null : faces.overlayOf(user, studioProfile.profile);
  const image = await faces.image(user.id, face, stats, spec);
  const kept = await faces.keep(
    user,
    choice,
    periodLabel(choice),
    face,
    studioProfile.profile,
    image,
  );
  ctx.logger.debug({ faceId: kept.id }, 'face kept');
  res.redirect(
    303,
    `/faces/image/${image.hash}.${image.format}?download=spoti-face-${toFaceString(face)}-${spec.layout}.${spec.format}`,
  );
}

/**
 * `/face`: the studio. The face of a period with every reason, pins (persisted per user),
 * another variation, compare two periods, downloads rendered on the server and kept in the
 * gallery, `/face/art/<face>.svg`, the Notionists art of any face string (the first preview and
 * the gallery), and `/face/art-data/<hash>.json`, the art data the studio script draws with.
 */
export function faceRoutes(ctx: AppContext): Router {
  const router = Router();
  artRoutes(router, ctx.faces);
  router.use('/face', requireUser);
  router.get('/face', (req, res) => studioPage(ctx, req, res));
  choiceRoutes(router, ctx);
  router.post('/face/download', (req, res) => download(ctx, req, res));
  return router;
}
