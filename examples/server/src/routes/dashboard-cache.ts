import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';
import type { PeriodChoice } from '../services/period.js';
import { periodKey } from '../services/period.js';
import type { DashboardStats } from '../services/stats-service.js';
import { dashboardBody } from '../views/dashboard-page.js';
import type { SafeHtml } from '../views/html.js';
import { type PageContext, layout } from '../views/layout.js';

/** A whole dashboard page, encoded once, in the forms a client may ask for. */
interface EncodedPage {
  readonly identity: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

/** Pages kept per rendered body: one per session (its CSRF token is in the page) in use. */
const PAGES_PER_BODY = 8;

/**
 * The dashboard's rendered pages, kept with the statistics they show: a body per cached
 * `DashboardStats` and period, and per body the finished page of each session (layout, CSRF
 * token, user name) with its compressed forms. Both live in weak maps keyed by the statistics
 * object and the body, so they go exactly when the statistics service drops or replaces the
 * statistics (new plays, an import, another time zone or hour): nothing here can outlive them.
 */
export class DashboardPages {
  readonly #bodies = new WeakMap<DashboardStats, Map<string, SafeHtml>>();
  readonly #pages = new WeakMap<SafeHtml, Map<string, EncodedPage>>();

  /** The body of a period's statistics, rendered once per statistics object, period and year. */
  body(result: DashboardStats, choice: PeriodChoice, currentYear: number): SafeHtml {
    let perChoice = this.#bodies.get(result);
    if (perChoice === undefined) {
      perChoice = new Map();
      this.#bodies.set(result, perChoice);
    }
    const key = `${periodKey(choice)}|${currentYear}`;
    let body = perChoice.get(key);
    if (body === undefined) {
      body = dashboardBody({ ...result, choice, currentYear });
      perChoice.set(key, body);
    }
    return body;
  }

  /**
   * Sends the page of `body` for this request: from the cache when the page frame is the same
   * (same session token, name and banner), encoded as the client accepts. A page with a one-time
   * message is rendered and sent on its own, never kept.
   */
  send(req: Request, res: Response, ctx: PageContext, body: SafeHtml): void {
    res.status(200).type('html').set('Cache-Control', 'no-store').vary('Accept-Encoding');
    if (ctx.flash !== undefined) {
      res.send(layout(ctx, { title: 'Dashboard', body }));
      return;
    }
    const page = this.#page(ctx, body);
    const encoding = req.acceptsEncodings('br') === 'br' ? 'br' : req.acceptsEncodings('gzip');
    let bytes = page.identity;
    if (encoding === 'br') {
      page.br ??= brotliCompressSync(page.identity, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 9 },
      });
      bytes = page.br;
    } else if (encoding === 'gzip') {
      page.gzip ??= gzipSync(page.identity, { level: 9 });
      bytes = page.gzip;
    }
    // The compression middleware leaves an answer that already has an encoding as it is.
    if (bytes !== page.identity) res.set('Content-Encoding', encoding as string);
    res.set('Content-Length', String(bytes.length)).end(bytes);
  }

  #page(ctx: PageContext, body: SafeHtml): EncodedPage {
    let perFrame = this.#pages.get(body);
    if (perFrame === undefined) {
      perFrame = new Map();
      this.#pages.set(body, perFrame);
    }
    const frame = JSON.stringify([ctx.csrfToken, ctx.user, ctx.path]);
    let page = perFrame.get(frame);
    if (page === undefined) {
      page = { identity: Buffer.from(layout(ctx, { title: 'Dashboard', body })) };
      if (perFrame.size >= PAGES_PER_BODY) perFrame.clear();
      perFrame.set(frame, page);
    }
    return page;
  }
}
