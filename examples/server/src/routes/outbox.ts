import { type Response, Router } from 'express';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { AppContext } from '../context.js';
import { ServerError } from '../server-error.js';
import { type SafeHtml, html, raw } from '../views/html.js';
import { layout } from '../views/layout.js';
import { pageContext, sendPage } from './page-context.js';
import { type PageRequest, type PageRoute, mountPageRoutes } from './page-routes.js';
import { sendMailDocument } from './releases.js';

function when(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(ms);
}

/** Escaped text with its http(s) URLs made into links. */
function linkify(text: string): SafeHtml {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const index = match.index ?? 0;
    parts.push(html`${text.slice(last, index)}`);
    parts.push(html`<a href="${match[0]}">${match[0]}</a>`);
    last = index + match[0].length;
  }
  parts.push(html`${text.slice(last)}`);
  return raw(parts.map((p) => p.value).join(''));
}

type Outbox = NonNullable<AppContext['releases']['outbox']>;

async function load(outbox: Outbox, id: string) {
  const rawEml = await outbox.read(id);
  if (rawEml === null) throw new ServerError('NOT_FOUND', `No message ${id} in the outbox`);
  return rawEml;
}

async function listPage(outbox: Outbox, req: PageRequest, res: Response): Promise<void> {
  const entries = await outbox.list();
  sendPage(
    res,
    200,
    layout(pageContext(req, res), {
      title: 'Outbox',
      body: html`<h1>Outbox</h1>
      <p class="muted">Spotify is simulated, so mail is written to files instead of being sent. Newest first.</p>
      <section class="card"><div class="table-wrap" tabindex="0" role="region" aria-label="Messages (scrolls sideways on small screens)"><table>
        <caption>${entries.length} message${entries.length === 1 ? '' : 's'}</caption>
        <thead><tr><th scope="col">Written (UTC)</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
        <tbody>${
          entries.length === 0
            ? html`<tr><td colspan="3">No mail yet.</td></tr>`
            : entries.map(
                (e) =>
                  html`<tr><td>${when(e.writtenAt)}</td><td>${e.to}</td><td><a href="/dev/outbox/${encodeURIComponent(e.id)}">${e.subject}</a></td></tr>`,
              )
        }</tbody>
      </table></div></section>`,
    }),
  );
}

/** The header rows a message page shows (empty ones are left out by the page). */
function headerRows(mail: ParsedMail): [string, string][] {
  // The raw header line (mailparser folds List-* headers into one parsed object).
  const header = (name: string) => {
    const line = mail.headerLines.find((h) => h.key === name)?.line ?? '';
    return line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n\s+/g, ' ')
      .trim();
  };
  return [
    ['From', mail.from?.text ?? ''],
    ['To', Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '')],
    ['Subject', mail.subject ?? ''],
    ['Message-ID', mail.messageId ?? ''],
    ['List-Unsubscribe', header('list-unsubscribe')],
    ['List-Unsubscribe-Post', header('list-unsubscribe-post')],
  ];
}

async function messagePage(outbox: Outbox, req: PageRequest, res: Response): Promise<void> {
  const id = String(req.params.id);
  const mail = await simpleParser(await load(outbox, id));
  const rows = headerRows(mail);
  const href = `/dev/outbox/${encodeURIComponent(id)}`;
  sendPage(
    res,
    200,
    layout(pageContext(req, res), {
      title: mail.subject ?? 'Message',
      body: html`<p><a href="/dev/outbox">← Outbox</a></p>
      <h1>${mail.subject ?? '(no subject)'}</h1>
      <section class="card"><dl class="facts mail-headers">${rows
        .filter(([, v]) => v !== '')
        .map(
          ([k, v]) =>
            html`<dt>${k}</dt><dd>${k === 'List-Unsubscribe' ? linkify(v.replace(/[<>]/g, ' ')) : v}</dd>`,
        )}</dl>
        <p>${mail.html === false || mail.html === undefined ? '' : html`<a href="${href}/html">Open the HTML part</a> · `}<a href="${href}/eml">Download the .eml file</a></p>
      </section>
      <section class="card"><h2>Text part</h2><pre class="mail-text">${linkify(mail.text ?? '')}</pre></section>`,
    }),
  );
}

async function htmlPart(outbox: Outbox, req: PageRequest, res: Response): Promise<void> {
  const mail = await simpleParser(await load(outbox, String(req.params.id)));
  if (mail.html === false || mail.html === undefined)
    throw new ServerError('NOT_FOUND', 'This message has no HTML part');
  sendMailDocument(res, mail.html);
}

async function emlFile(outbox: Outbox, req: PageRequest, res: Response): Promise<void> {
  const id = String(req.params.id);
  const rawEml = await load(outbox, id);
  res
    .status(200)
    .type('message/rfc822')
    .set('Content-Disposition', `attachment; filename="${id.replace(/[^A-Za-z0-9._-]/g, '_')}.eml"`)
    .send(rawEml);
}

/** The outbox's pages, in matching order. */
const OUTBOX_ROUTES: readonly PageRoute<Outbox>[] = [
  { method: 'get', path: '/dev/outbox', handle: listPage },
  { method: 'get', path: '/dev/outbox/:id', handle: messagePage },
  { method: 'get', path: '/dev/outbox/:id/html', handle: htmlPart },
  { method: 'get', path: '/dev/outbox/:id/eml', handle: emlFile },
];

/**
 * `/dev/outbox`: the mails the zero-config server wrote as `.eml` files, newest first, each
 * readable (headers, text part with working links, the HTML part, the raw file). It exists only
 * when Spotify is the embedded mock and no `SMTP_URL` is set; otherwise every path answers 404.
 */
export function outboxRoutes(ctx: AppContext): Router {
  const router = Router();
  const outbox = ctx.releases.outbox;
  if (ctx.spotify.kind !== 'embedded' || outbox === null) return router;
  return mountPageRoutes(router, outbox, OUTBOX_ROUTES);
}
