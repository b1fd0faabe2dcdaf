import { type Response, Router } from 'express';
import type { AppContext } from '../context.js';
import { ServerError } from '../server-error.js';
import type { ObjectInfo } from '../storage/object-store.js';
import type { Readable } from 'node:stream';
import { faceDetailBody, galleryBody, sharedBody } from '../views/faces-page.js';
import { html } from '../views/html.js';
import { layout } from '../views/layout.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { type PageRequest, type PageRoute, mountPageRoutes } from './page-routes.js';
import { requireUser } from './require-user.js';

const ID = /^[0-9a-f-]{36}$/;
const SLUG = /^[A-Za-z0-9_-]{22}$/;

const notFound = () => new ServerError('NOT_FOUND', 'No such face.');

/** Sends a stored image with its ETag; answers 304 when the client has it. */
function sendImage(
  req: { get(name: string): string | undefined },
  res: Response,
  found: { info: ObjectInfo; body: Readable },
  cacheControl: string,
  download: string | undefined,
): void {
  res.set('ETag', found.info.etag).set('Cache-Control', cacheControl);
  if (req.get('if-none-match') === found.info.etag) {
    found.body.destroy();
    res.status(304).end();
    return;
  }
  res.type(found.info.contentType).set('Content-Length', String(found.info.size));
  if (download !== undefined) res.attachment(download);
  found.body.pipe(res);
}

async function sharedFacePage(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const slug = req.params.slug ?? '';
  const face = SLUG.test(slug) ? await ctx.faces.repository.bySlug(slug) : null;
  if (face === null) throw notFound();
  const owner = await ctx.users.get(face.userId);
  if (owner === null) throw notFound();
  const url = `${ctx.publicUrl()}/f/${slug}`;
  const image = `${url}/banner.png`;
  const title = `${owner.displayName}'s face`;
  const description = `A face made from ${owner.displayName}'s Spotify listening (${face.periodLabel}).`;
  const page = { ...pageContext(req, res), csrfToken: '' };
  sendPage(
    res,
    200,
    layout(page, {
      title,
      head: html`<link rel="stylesheet" href="/static/face.css">
<meta property="og:type" content="website">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${url}">
<meta property="og:image" content="${image}">
<meta property="og:image:width" content="1500">
<meta property="og:image:height" content="500">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${title}">
<meta name="twitter:description" content="${description}">
<meta name="twitter:image" content="${image}">
<script nonce="${page.nonce}" src="/static/share.js" defer></script>`,
      body: sharedBody(face, owner.displayName, url),
    }),
  );
}

async function sharedBanner(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const slug = req.params.slug ?? '';
  const face = SLUG.test(slug) ? await ctx.faces.repository.bySlug(slug) : null;
  const owner = face === null ? null : await ctx.users.get(face.userId);
  if (face === null || owner === null) throw notFound();
  const banner = await ctx.faces.sharedBanner(face, owner.displayName);
  const found = await ctx.faces.readImage(face.userId, `${banner.hash}.png`);
  if (found === null) throw notFound();
  // Not immutable: revoking the share must take the image down.
  sendImage(req, res, found, 'public, max-age=300', undefined);
}

async function galleryPage(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const page = pageContext(req, res);
  const list = await ctx.faces.repository.list(user.id);
  sendPage(
    res,
    200,
    layout(page, {
      title: 'Your faces',
      head: html`<link rel="stylesheet" href="/static/face.css"><script nonce="${page.nonce}" src="/static/share.js" defer></script>`,
      body: galleryBody(page, list, user.timeZone, ctx.publicUrl()),
    }),
  );
}

async function faceImage(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const found = await ctx.faces.readImage(user.id, req.params.file ?? '');
  if (found === null) throw notFound();
  const download = typeof req.query.download === 'string' ? req.query.download : undefined;
  const name =
    download !== undefined && /^[A-Za-z0-9._-]{1,120}$/.test(download) ? download : undefined;
  sendImage(req, res, found, 'public, max-age=31536000, immutable', name);
}

async function faceDetailPage(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const id = req.params.id ?? '';
  const face = ID.test(id) ? await ctx.faces.repository.get(user.id, id) : null;
  if (face === null) throw notFound();
  const page = pageContext(req, res);
  sendPage(
    res,
    200,
    layout(page, {
      title: 'Your face',
      head: html`<link rel="stylesheet" href="/static/face.css"><script nonce="${page.nonce}" src="/static/share.js" defer></script>`,
      body: faceDetailBody(page, face, user.timeZone, ctx.publicUrl()),
    }),
  );
}

async function deleteFace(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const id = req.params.id ?? '';
  const face = ID.test(id) ? await ctx.faces.repository.delete(user.id, id) : null;
  // A repeated delete finds nothing: the gallery is where the user wanted to end up anyway.
  if (face !== null) {
    await ctx.faces.deleteImagesOf(user.id, face);
    req.session.flash = 'Face deleted.';
  }
  res.redirect(303, '/faces');
}

async function shareFace(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const id = req.params.id ?? '';
  const face = ID.test(id)
    ? await ctx.faces.repository.share(user.id, id, ctx.faces.newSlug(), ctx.clock.now())
    : null;
  if (face === null) throw notFound();
  res.redirect(303, `/faces/${face.id}`);
}

async function unshareFace(ctx: AppContext, req: PageRequest, res: Response): Promise<void> {
  const user = currentUser(res);
  const id = req.params.id ?? '';
  const face = ID.test(id) ? await ctx.faces.repository.unshare(user.id, id) : null;
  if (face === null) throw notFound();
  res.redirect(303, `/faces/${face.id}`);
}

/** The shared-face pages and the gallery, in matching order. */
const FACES_ROUTES: readonly PageRoute<AppContext>[] = [
  { method: 'get', path: '/f/:slug', handle: sharedFacePage },
  { method: 'get', path: '/f/:slug/banner.png', handle: sharedBanner },
  { method: 'get', path: '/faces', handle: galleryPage },
  { method: 'get', path: '/faces/image/:file', handle: faceImage },
  { method: 'get', path: '/faces/:id', handle: faceDetailPage },
  { method: 'post', path: '/faces/:id/delete', handle: deleteFace },
  { method: 'post', path: '/faces/:id/share', handle: shareFace },
  { method: 'post', path: '/faces/:id/unshare', handle: unshareFace },
];

/**
 * `/faces` (gallery, evolution, delete, share, revoke), `/faces/image/<hash>.<ext>` (the user's
 * rendered images, immutable) and the public `/f/<slug>` page of a shared face.
 */
export function facesRoutes(ctx: AppContext): Router {
  const router = Router();

  router.use('/faces', requireUser);

  return mountPageRoutes(router, ctx, FACES_ROUTES);
}
