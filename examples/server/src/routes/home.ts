import type { PublicTrends } from '@spoti/analytics';
import { Router } from 'express';
import { SCOPES } from '../auth/spotify.js';
import type { AppContext } from '../context.js';
import { barChart } from '../views/charts.js';
import { type SafeHtml, html } from '../views/html.js';
import { layout } from '../views/layout.js';
import { pageContext, sendPage } from './page-context.js';

function trendsBlock(title: string, trends: PublicTrends): SafeHtml {
  if (trends.listeners < trends.k) {
    return html`<section class="card"><h3>${title}</h3>
      <p class="muted">Trends appear once at least ${trends.k} listeners have played music in this period (${trends.listeners} so far): nothing is shown that fewer than ${trends.k} people share.</p></section>`;
  }
  return html`<section class="card"><h3>${title}</h3>
    ${
      trends.genres.length > 0
        ? barChart(
            `${title}: top genres by listeners`,
            trends.genres.slice(0, 8).map((g) => ({ label: g.name, value: g.listeners })),
            'listeners',
          )
        : html`<p class="muted">No genre is shared by ${trends.k} listeners yet.</p>`
    }
    ${
      trends.artists.length > 0
        ? barChart(
            `${title}: top artists by listeners`,
            trends.artists.slice(0, 8).map((a) => ({ label: a.name, value: a.listeners })),
            'listeners',
          )
        : ''
    }
    ${
      trends.tracks.length > 0
        ? barChart(
            `${title}: top tracks by listeners`,
            trends.tracks
              .slice(0, 8)
              .map((t) => ({ label: `${t.name} – ${t.artistName ?? ''}`, value: t.listeners })),
            'listeners',
          )
        : ''
    }
  </section>`;
}

/** `/`: what the app does, sign-in (demo listeners in zero-config mode), public trends. */
export function homeRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const page = pageContext(req, res);
    const trends = await ctx.trends.get(ctx.clock.now());
    const mock = ctx.spotify.mock;
    const demo =
      mock === undefined
        ? ''
        : html`<section class="card" aria-labelledby="demo-h">
            <h2 id="demo-h">Sign in as a demo listener</h2>
            <p>This instance runs on a local, simulated Spotify. Pick a listener; the simulated Spotify signs you in as them.</p>
            <ul class="listeners">${[...mock.world.users.values()]
              .slice(0, 6)
              .map(
                (u) =>
                  html`<li><a class="button secondary" href="/login?listener=${encodeURIComponent(u.id)}">${u.displayName} <span class="muted">(${u.persona})</span></a></li>`,
              )}</ul>
          </section>`;
    sendPage(
      res,
      200,
      layout(page, {
        title: 'Your listening, kept',
        script: true,
        body: html`<section class="hero">
          <h1>Your Spotify listening, kept and explained</h1>
          <p>spoti records what you play, imports your Spotify data export, and shows your top artists, tracks, albums and genres, your hours and habits, streaks and taste phases — for any period.</p>
          ${page.user === null ? html`<p><a class="button" href="/login">Sign in with Spotify</a></p>` : html`<p><a class="button" href="/dashboard">Open your dashboard</a></p>`}
          <details><summary>What the app asks Spotify for, and why</summary>
            <ul>${SCOPES.map((s) => html`<li><code>${s.scope}</code>: ${s.reason}</li>`)}</ul>
          </details>
        </section>
        ${demo}
        <h2>Trends on this instance</h2>
        <div class="grid two">${trendsBlock('This week', trends.week)}${trendsBlock('This month', trends.month)}</div>`,
      }),
    );
  });
  return router;
}
