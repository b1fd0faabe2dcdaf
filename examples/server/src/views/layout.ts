import { type SafeHtml, html } from './html.js';

/** What every page knows about the request. */
export interface PageContext {
  /** The CSP nonce of this response. */
  readonly nonce: string;
  readonly csrfToken: string;
  readonly user: { readonly displayName: string; readonly reconnectRequired: boolean } | null;
  /** Path of the page, to mark the current link. */
  readonly path: string;
  readonly flash?: string | undefined;
}

const NAV = [
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/history', label: 'History' },
  { href: '/import', label: 'Import' },
  { href: '/playlists', label: 'Playlists' },
  { href: '/face', label: 'Face' },
  { href: '/faces', label: 'Gallery' },
  { href: '/releases', label: 'New releases' },
  { href: '/settings', label: 'Settings' },
] as const;

/** The page frame: head, skip link, navigation, main, footer. */
export function layout(
  ctx: PageContext,
  page: { title: string; body: SafeHtml; head?: SafeHtml; script?: boolean },
): string {
  const nav =
    ctx.user === null
      ? html`<a class="button" href="/login">Sign in with Spotify</a>`
      : html`<ul class="nav-links">${NAV.map(
          (n) =>
            html`<li><a href="${n.href}"${ctx.path === n.href ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
        )}</ul>
        <form method="post" action="/logout" class="inline">
          <input type="hidden" name="_csrf" value="${ctx.csrfToken}">
          <button type="submit" class="link">Sign out</button>
        </form>`;
  const banner =
    ctx.user?.reconnectRequired === true
      ? html`<div class="banner warn" role="alert">Spotify no longer accepts this app's access for your account (it expires after six months or when you remove it). <a href="/login">Reconnect Spotify</a> to resume syncing.</div>`
      : '';
  const flash = ctx.flash ? html`<div class="banner" role="status">${ctx.flash}</div>` : '';
  return `<!doctype html>${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · spoti</title>
<link rel="stylesheet" href="/static/app.css">
${page.head ?? ''}
${page.script ? html`<script nonce="${ctx.nonce}" src="/static/app.js" defer></script>` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">spoti</a>
  <nav aria-label="Main">${nav}</nav>
</header>
${banner}${flash}
<main id="main">
${page.body}
</main>
<footer class="foot"><p>spoti example server · your data stays in this instance's database</p></footer>
</body>
</html>`.value
  }`;
}

/** A form's hidden CSRF field. */
export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
}

/** A page that explains what happened, with a way forward. */
export function messagePage(
  ctx: PageContext,
  message: {
    title: string;
    text: string;
    detail?: SafeHtml;
    action?: { href: string; label: string };
  },
): string {
  return layout(ctx, {
    title: message.title,
    body: html`<section class="card narrow">
      <h1>${message.title}</h1>
      <p>${message.text}</p>
      ${message.detail ?? ''}
      ${message.action ? html`<p><a class="button" href="${message.action.href}">${message.action.label}</a></p>` : ''}
    </section>`,
  });
}
