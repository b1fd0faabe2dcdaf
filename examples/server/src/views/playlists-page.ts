import type { ClauseExplanation, TrackExplanation } from '@spoti/playlists';
import type { QueryCheck } from '../services/query-check.js';
import type { Preview, SmartPlaylist, TrackRow } from '../services/playlists-service.js';
import { type SafeHtml, html } from './html.js';
import { type PageContext, csrfField, layout } from './layout.js';

/** A rule's line on the index: the playlist and what it selects now. */
export interface PlaylistLine {
  readonly playlist: SmartPlaylist;
  readonly count: number;
  readonly durationMs: number;
}

/** The state of the "new rule" form. */
export interface RuleForm {
  /** One-time key: the same form sent twice keeps one rule. */
  readonly key: string;
  readonly name: string;
  readonly query: string;
  /** The verdict on `query`, when it was checked. */
  readonly check?: QueryCheck | undefined;
}

/** The answer to "why is this track in / not in". */
export type WhyAnswer =
  | { readonly kind: 'explained'; readonly track: TrackRow; readonly explanation: TrackExplanation }
  | { readonly kind: 'choose'; readonly text: string; readonly candidates: readonly TrackRow[] }
  | { readonly kind: 'none'; readonly text: string };

/** "1 h 05 min" for lengths of an hour and more, else "12 min" (a playlist's total). */
export function totalLength(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** "3:07" (a track's length). */
export function trackLength(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function when(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms);
}

function head(ctx: PageContext): SafeHtml {
  return html`<link rel="stylesheet" href="/static/playlists.css">
<script nonce="${ctx.nonce}" src="/static/playlists.js" defer></script>`;
}

/** The query with the faulty span marked, as the live check also renders it. */
function queryEcho(query: string, check: QueryCheck | undefined): SafeHtml {
  if (check === undefined || check.ok || check.end <= check.start) {
    return html`<p class="query-echo" data-query-echo hidden></p>`;
  }
  return html`<p class="query-echo" data-query-echo><code>${query.slice(0, check.start)}<mark>${query.slice(check.start, check.end)}</mark>${query.slice(check.end)}</code></p>`;
}

/** The form that writes a rule in the text query language, checked live by `playlists.js`. */
function ruleForm(ctx: PageContext, form: RuleForm): SafeHtml {
  const invalid = form.check !== undefined && !form.check.ok;
  const message = invalid && form.check !== undefined && !form.check.ok ? form.check.message : '';
  return html`<form method="post" action="/playlists" class="stack rule-form" data-rule-form novalidate>
    ${csrfField(ctx)}
    <input type="hidden" name="key" value="${form.key}">
    <label for="rule-name">Name</label>
    <input id="rule-name" name="name" maxlength="100" value="${form.name}" autocomplete="off">
    <label for="rule-query">Rule</label>
    <textarea id="rule-query" name="query" rows="3" maxlength="2000" required spellcheck="false" autocomplete="off"
      aria-describedby="query-help query-error" data-query-check${invalid ? html` aria-invalid="true"` : ''}>${form.query}</textarea>
    <p id="query-help" class="hint">Terms are ANDed; a lone <code>,</code> means OR; <code>-</code> negates.
      Examples: <code>plays:0 added:-30d..</code>, <code>plays@30d:&gt;3 played-</code>,
      <code>genre:jazz length:..240 limit:2h</code>.</p>
    <p id="query-error" class="error" role="status" aria-live="polite" data-query-error>${message}</p>
    ${queryEcho(form.query, form.check)}
    <div class="actions">
      <button type="submit" formmethod="get" formaction="/playlists/try" formnovalidate class="secondary">Preview</button>
      <button type="submit">Keep this rule</button>
    </div>
  </form>`;
}

function savedState(p: SmartPlaylist, timeZone: string): SafeHtml {
  const s = p.stored;
  if (s === null || (s.lastSyncedAt === null && s.lastError === null)) {
    return html`<span class="muted">Not saved</span>`;
  }
  const error =
    s.lastError === null
      ? ''
      : html`<br><span class="error">Last save failed: ${s.lastError}</span>`;
  return html`${s.lastSyncedAt === null ? html`<span class="muted">Not saved</span>` : html`Saved ${when(s.lastSyncedAt, timeZone)}`}${error}`;
}

/** `/playlists`: every smart playlist with what it selects now, and the form for a new rule. */
export function playlistsIndexPage(
  ctx: PageContext,
  input: { lines: readonly PlaylistLine[]; form: RuleForm; timeZone: string },
): string {
  return layout(ctx, {
    title: 'Smart playlists',
    head: head(ctx),
    body: html`<h1>Smart playlists</h1>
    <p>Rules over your saved tracks and play history, as this instance has recorded them. <strong>Save to Spotify</strong> writes one private playlist per rule and afterwards changes only what differs; with auto-refresh on, it is brought up to date every day and after each library sync.</p>
    <section class="card">
      <div class="table-wrap" tabindex="0" role="region" aria-label="Smart playlists (scrolls sideways on small screens)"><table class="playlists">
        <caption>Your smart playlists</caption>
        <thead><tr><th scope="col">Playlist</th><th scope="col" class="rule-col">Rule</th><th scope="col" class="num">Tracks</th><th scope="col" class="num">Length</th><th scope="col">Spotify</th><th scope="col">Auto-refresh</th></tr></thead>
        <tbody>${input.lines.map(
          (l) =>
            html`<tr><td><a href="/playlists/${l.playlist.slug}">${l.playlist.name}</a>${l.playlist.kind === 'builtin' ? html` <span class="tag">built-in</span>` : ''}</td>
            <td class="rule-col">${l.playlist.query === null ? l.playlist.description : html`<code>${l.playlist.query}</code>`}</td>
            <td class="num" data-count="${l.playlist.slug}">${l.count}</td><td class="num">${totalLength(l.durationMs)}</td>
            <td>${savedState(l.playlist, input.timeZone)}</td><td>${l.playlist.stored?.autoRefresh ? 'On' : 'Off'}</td></tr>`,
        )}</tbody>
      </table></div>
    </section>
    <section class="card" aria-labelledby="new-rule"><h2 id="new-rule">New rule</h2>
      ${ruleForm(ctx, input.form)}
    </section>`,
  });
}

function previewSection(
  preview: Preview,
  options: { slug: string | null; caption: string },
): SafeHtml {
  const why = (id: string, name: string) =>
    options.slug === null
      ? ''
      : html`<td><a href="/playlists/${options.slug}?why=${encodeURIComponent(id)}#why">Why?<span class="visually-hidden"> (${name})</span></a></td>`;
  return html`<section class="card" aria-labelledby="preview-title"><h2 id="preview-title">Preview</h2>
    <dl class="totals">
      <div><dt>Tracks</dt><dd data-total="tracks">${preview.count}</dd></div>
      <div><dt>Length</dt><dd data-total="length">${totalLength(preview.durationMs)}</dd></div>
      <div><dt>Matched before limits</dt><dd data-total="matched">${preview.matched}</dd></div>
    </dl>
    ${
      preview.count === 0
        ? html`<p class="muted">No track of your library matches this rule yet.</p>`
        : html`<div class="table-wrap" tabindex="0" role="region" aria-label="Preview tracks (scrolls sideways on small screens)"><table class="preview">
      <caption>${options.caption}</caption>
      <thead><tr><th scope="col" class="num">#</th><th scope="col">Title</th><th scope="col">Artists</th><th scope="col" class="num">Length</th>${options.slug === null ? '' : html`<th scope="col"><span class="visually-hidden">Explain</span></th>`}</tr></thead>
      <tbody>${preview.tracks.map(
        (t, i) =>
          html`<tr data-track="${t.id}"><td class="num">${i + 1}</td><td>${t.name}</td><td>${t.artists}</td><td class="num">${trackLength(t.durationMs)}</td>${why(t.id, t.name)}</tr>`,
      )}</tbody>
    </table></div>`
    }
  </section>`;
}

/** `/playlists/try`: an unsaved rule, checked and previewed, without JavaScript. */
export function tryRulePage(
  ctx: PageContext,
  input: { form: RuleForm; preview: Preview | null },
): string {
  return layout(ctx, {
    title: 'Try a rule',
    head: head(ctx),
    body: html`<h1>Try a rule</h1>
    <p><a href="/playlists">All smart playlists</a></p>
    <section class="card" aria-labelledby="rule-title"><h2 id="rule-title">Rule</h2>${ruleForm(ctx, input.form)}</section>
    ${input.preview === null ? '' : previewSection(input.preview, { slug: null, caption: `The first ${Math.min(input.preview.count, 50)} tracks` })}`,
  });
}

function clauseList(c: ClauseExplanation): SafeHtml {
  const mark = c.result
    ? html`<span class="ok" aria-hidden="true">✓</span>`
    : html`<span class="no" aria-hidden="true">✗</span>`;
  return html`<li>${mark} <span class="visually-hidden">${c.result ? 'met' : 'not met'}: </span><code>${c.path || 'rule'}</code> ${c.clause}${c.actual === undefined ? '' : html` <span class="muted">(actual ${c.actual})</span>`}${
    c.children === undefined || c.children.length === 0
      ? ''
      : html`<ul>${c.children.map((child) => clauseList(child))}</ul>`
  }</li>`;
}

function whySection(slug: string, answer: WhyAnswer | null, text: string): SafeHtml {
  let result: SafeHtml | string = '';
  if (answer?.kind === 'none') {
    result = html`<p class="error" role="status">No track of your library has “${answer.text}” in its title or id.</p>`;
  } else if (answer?.kind === 'choose') {
    result = html`<p>Several tracks match “${answer.text}”: pick one.</p><ul class="choices">${answer.candidates.map(
      (c) =>
        html`<li><a href="/playlists/${slug}?why=${encodeURIComponent(c.id)}#why">${c.name}</a> <span class="muted">${c.artists}</span></li>`,
    )}</ul>`;
  } else if (answer?.kind === 'explained') {
    const e = answer.explanation;
    result = html`<div class="why-answer" data-why="${e.included ? 'in' : 'out'}">
      <p><strong>${answer.track.name}</strong> <span class="muted">${answer.track.artists}</span> is <strong>${e.included ? `in, at position ${(e.position ?? 0) + 1}` : 'not in'}</strong> the playlist (decided at: ${e.stage}).</p>
      <p>${e.summary}</p>
      <ul class="clauses">${clauseList(e.clauses)}</ul>
    </div>`;
  }
  return html`<section class="card" id="why" aria-labelledby="why-title"><h2 id="why-title">Why is a track in or not in?</h2>
    <form method="get" action="/playlists/${slug}#why" class="inline-form">
      <label for="why-track">Track title or Spotify id</label>
      <input id="why-track" name="why" value="${text}" maxlength="200" required>
      <button type="submit">Explain</button>
    </form>
    ${result}
  </section>`;
}

/** `/playlists/:slug`: the rule, its preview, "why", save to Spotify and auto-refresh. */
export function playlistPage(
  ctx: PageContext,
  input: {
    playlist: SmartPlaylist;
    preview: Preview;
    why: WhyAnswer | null;
    whyText: string;
    timeZone: string;
  },
): string {
  const p = input.playlist;
  const s = p.stored;
  const auto = s?.autoRefresh === true;
  return layout(ctx, {
    title: p.name,
    head: head(ctx),
    body: html`<h1>${p.name}</h1>
    <p><a href="/playlists">All smart playlists</a></p>
    <section class="card" aria-labelledby="rule-title"><h2 id="rule-title">Rule</h2>
      ${p.query === null ? html`<p>${p.description}</p>` : html`<p>Query: <code data-query>${p.query}</code></p>`}
      <details><summary>The rule as JSON</summary><pre><code>${JSON.stringify(p.rule, null, 2)}</code></pre></details>
    </section>
    <section class="card" aria-labelledby="spotify-title"><h2 id="spotify-title">On Spotify</h2>
      <p data-saved>${savedState(p, input.timeZone)}${s?.lastTrackCount == null ? '' : html` · ${s.lastTrackCount} tracks, ${s.lastWriteCalls ?? 0} write calls`}${s?.spotifyPlaylistId == null ? '' : html` · playlist <code data-playlist-id>${s.spotifyPlaylistId}</code>`}</p>
      <div class="actions">
        <form method="post" action="/playlists/${p.slug}/save" class="inline">${csrfField(ctx)}<button type="submit">Save to Spotify</button></form>
        <form method="post" action="/playlists/${p.slug}/auto-refresh" class="inline">${csrfField(ctx)}
          <input type="hidden" name="on" value="${auto ? '0' : '1'}">
          <button type="submit" class="secondary" aria-describedby="auto-state">${auto ? 'Turn auto-refresh off' : 'Turn auto-refresh on'}</button>
        </form>
      </div>
      <p id="auto-state" class="hint">Auto-refresh is <strong>${auto ? 'on' : 'off'}</strong>: ${auto ? 'the Spotify playlist follows the rule every day and after each library sync.' : 'the Spotify playlist changes only when you save.'}</p>
    </section>
    ${previewSection(input.preview, { slug: p.slug, caption: `The first ${Math.min(input.preview.count, 50)} tracks, in playlist order` })}
    ${whySection(p.slug, input.why, input.whyText)}
    ${
      p.kind === 'custom'
        ? html`<section class="card danger" aria-labelledby="delete-title"><h2 id="delete-title">Delete this rule</h2>
      <p>Forgets the rule here. A playlist it saved stays on Spotify (delete it there if you no longer want it).</p>
      <form method="post" action="/playlists/${p.slug}/delete" class="inline">${csrfField(ctx)}<button type="submit" class="danger">Delete rule</button></form>
    </section>`
        : ''
    }`,
  });
}
