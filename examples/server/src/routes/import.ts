import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type RequestHandler, Router } from 'express';
import type { AppContext } from '../context.js';
import type { ImportJobProgress } from '../jobs/import-progress.js';
import { ServerError } from '../server-error.js';
import type { ImportJob } from '../storage/import-jobs.js';
import { saveUpload } from '../services/upload.js';
import { type SafeHtml, html } from '../views/html.js';
import { layout } from '../views/layout.js';
import { currentUser, pageContext, sendPage } from './page-context.js';
import { requireUser } from './require-user.js';

const mib = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MiB`;

function progressBlock(jobId: string, p: ImportJobProgress): SafeHtml {
  return html`<div class="progress-block" data-job="${jobId}">
    <label for="bar-${jobId}">Import ${p.status}: <span data-field="percent">${p.percent}</span> %</label>
    <progress id="bar-${jobId}" max="100" value="${p.percent}">${p.percent} %</progress>
    <p class="muted" aria-live="polite"><span data-field="rows">${p.rows}</span> rows read, <span data-field="inserted">${p.inserted}</span> plays added, <span data-field="duplicates">${p.duplicates}</span> duplicates</p>
  </div>`;
}

function summary(job: ImportJob): SafeHtml {
  const r = job.result;
  if (job.status === 'failed')
    return html`<p class="error" role="alert">The import failed: ${job.error ?? 'unknown error'}</p>`;
  if (r === null) return html``;
  return html`<dl class="totals">
    <div><dt>Files</dt><dd>${r.files}</dd></div>
    <div><dt>Rows</dt><dd>${r.rows}</dd></div>
    <div><dt>Plays added</dt><dd data-summary="inserted">${r.inserted}</dd></div>
    <div><dt>Duplicates</dt><dd>${r.duplicates}</dd></div>
    <div><dt>Podcast rows</dt><dd>${r.podcasts}</dd></div>
    <div><dt>Skipped rows</dt><dd>${r.skipped}</dd></div>
  </dl>
  ${
    r.skippedRows.length > 0
      ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways on small screens)"><table><caption>Skipped rows</caption><thead><tr><th scope="col">File</th><th scope="col" class="num">Row</th><th scope="col">Why</th></tr></thead>
    <tbody>${r.skippedRows.map((s) => html`<tr><td>${s.file}</td><td class="num">${s.row}</td><td>${s.reason}</td></tr>`)}</tbody></table></div>`
      : ''
  }
  <p><a class="button" href="/dashboard?period=all">See your dashboard</a></p>`;
}

/** `GET /import`: the upload form and the listener's imports. */
function importPage(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const user = currentUser(res);
    const page = pageContext(req, res);
    const jobs = await ctx.importJobs.listForUser(user.id);
    sendPage(
      res,
      200,
      layout(page, {
        title: 'Import',
        body: html`<h1>Import your Spotify data export</h1>
        <section class="card">
          <p>Spotify keeps your whole listening history; ask for it under <em>Account → Privacy settings → Download your data</em> (“Extended streaming history”). Upload <code>my_spotify_data.zip</code> as it arrives, or the <code>Streaming_History_Audio_*.json</code> files from it. Up to ${mib(ctx.config.uploadLimitBytes)}.</p>
          <form method="post" action="/import?_csrf=${encodeURIComponent(page.csrfToken)}" enctype="multipart/form-data" class="upload">
            <label for="export-file">Export file(s)</label>
            <input id="export-file" type="file" name="export" accept=".zip,.json,application/zip,application/json" multiple required>
            <button type="submit">Upload and import</button>
          </form>
        </section>
        <section><h2>Your imports</h2>
          ${jobs.length === 0 ? html`<p class="muted">None yet.</p>` : html`<ul class="jobs">${jobs.map((j) => html`<li><a href="/import/${j.id}">${j.files.join(', ')}</a> — ${j.status}${j.status === 'running' || j.status === 'queued' ? ` (${j.progress.percent} %)` : ''}, ${mib(j.bytes)}</li>`)}</ul>`}
        </section>`,
      }),
    );
  };
}

/** `POST /import`: streams the upload to disk, records the job and starts it in the background. */
function uploadExport(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const user = currentUser(res);
    const declared = Number(req.get('content-length') ?? 'NaN');
    if (Number.isFinite(declared) && declared > ctx.config.uploadLimitBytes + 1024 ** 2) {
      res.set('Connection', 'close');
      throw new ServerError(
        'UPLOAD_TOO_LARGE',
        `The upload is larger than the limit of ${mib(ctx.config.uploadLimitBytes)}`,
      );
    }
    if (!req.is('multipart/form-data'))
      throw new ServerError('INVALID_INPUT', 'The upload must be sent as multipart/form-data');
    const id = randomUUID();
    const saved = await saveUpload({
      headers: req.headers,
      body: req,
      dir: join(ctx.uploadDir, id),
      limitBytes: ctx.config.uploadLimitBytes,
    });
    await ctx.importJobs.create({
      id,
      userId: user.id,
      files: saved.files,
      source: saved.source,
      bytes: saved.bytes,
      now: ctx.clock.now(),
    });
    ctx.runner.start('import-export', { jobId: id }, user.id);
    res.redirect(303, `/import/${id}`);
  };
}

/** The listener's own import `id`; any other id (malformed, unknown, someone else's) is 404. */
async function ownJob(ctx: AppContext, userId: string, id: string | undefined): Promise<ImportJob> {
  const job = id === undefined || !/^[0-9a-f-]{36}$/.test(id) ? null : await ctx.importJobs.get(id);
  if (job === null || job.userId !== userId) throw new ServerError('NOT_FOUND', 'No such import');
  return job;
}

/** `GET /import/:id`: progress (refreshing itself without JavaScript) and the summary. */
function progressPage(ctx: AppContext): RequestHandler<{ id: string }> {
  return async (req, res) => {
    const job = await ownJob(ctx, currentUser(res).id, req.params.id);
    const running = job.status === 'queued' || job.status === 'running';
    sendPage(
      res,
      200,
      layout(pageContext(req, res), {
        title: 'Import progress',
        script: running,
        // Without JavaScript the page refreshes itself while the import runs.
        head: running ? html`<meta http-equiv="refresh" content="2">` : html``,
        body: html`<h1>Import of ${job.files.join(', ')}</h1>
          <section class="card" data-events="${running ? `/import/${job.id}/events` : ''}">
            ${progressBlock(job.id, job.progress)}
            ${summary(job)}
          </section>
          <p><a href="/import">All imports</a></p>`,
      }),
    );
  };
}

/** `GET /import/:id/events`: the progress as server-sent events, until done or failed. */
function progressEvents(ctx: AppContext): RequestHandler<{ id: string }> {
  return async (req, res) => {
    const job = await ownJob(ctx, currentUser(res).id, req.params.id);
    res.status(200).set({
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const send = (p: ImportJobProgress) => {
      res.write(`event: progress\ndata: ${JSON.stringify(p)}\n\n`);
      // compression buffers; flush each event so it reaches the browser now.
      (res as unknown as { flush?: () => void }).flush?.();
      if (p.status === 'done' || p.status === 'failed') {
        unsubscribe();
        res.end();
      }
    };
    const unsubscribe = ctx.importProgress.subscribe(job.id, send);
    ctx.openStreams.add(res);
    req.on('close', () => {
      unsubscribe();
      ctx.openStreams.delete(res);
    });
    const fresh = await ctx.importJobs.get(job.id);
    send(fresh?.progress ?? job.progress);
  };
}

/** `/import`: upload, background import, live progress (SSE) and a no-JS refreshing page. */
export function importRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use('/import', requireUser);
  router.get('/import', importPage(ctx));
  router.post('/import', uploadExport(ctx));
  router.get('/import/:id', progressPage(ctx));
  router.get('/import/:id/events', progressEvents(ctx));
  return router;
}
