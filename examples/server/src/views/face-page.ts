import {
  DEFAULT_CATALOGUE,
  type Face,
  type FaceChange,
  type ListeningProfile,
  PARAM_KEYS,
  PARAM_NAMES,
  toFaceString,
  toNotionFaceUrl,
} from '@spoti/face';
import type { FaceChoices } from '../storage/faces.js';
import { faceArtAsset } from './face-scripts.js';
import { type SafeHtml, html, raw } from './html.js';
import { type PageContext, csrfField } from './layout.js';

/** The periods the studio offers (a calendar year takes the year field). */
export const FACE_PERIODS = [
  { value: 'short_term', label: 'Last 4 weeks' },
  { value: 'medium_term', label: 'Last 6 months' },
  { value: 'long_term', label: 'Last year' },
  { value: 'all', label: 'All time' },
  { value: 'year', label: 'Calendar year' },
] as const;

/** Everything the studio page shows. */
export interface StudioView {
  readonly page: PageContext;
  readonly face: Face;
  readonly profile: ListeningProfile;
  readonly choices: FaceChoices;
  /** The period as a query string (`period=short_term`). */
  readonly periodQuery: string;
  readonly period: string;
  readonly year: number;
  readonly periodLabel: string;
  readonly collectedAt: number;
  readonly timeZone: string;
  /** Set when Spotify refused more calls and this is the last profile. */
  readonly blocked: { readonly resumeAt: number | null } | null;
  /** The face of the compared period and what changed, when asked for. */
  readonly comparison: {
    readonly label: string;
    readonly value: string;
    readonly face: Face;
    readonly changes: readonly FaceChange[];
  } | null;
  readonly compareValue: string;
  /** Seed the "Another variation" button sends (fresh per page, so a retried post is a no-op). */
  readonly nextSeed: string;
}

function when(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms);
}

/** The `<img>` of a face's Notionists art, served by `/face/art/<face string>.svg`. */
export function faceArt(face: Face, options: { id?: string; size: number; alt: string }): SafeHtml {
  return html`<img${options.id ? html` id="${options.id}"` : ''} class="face-art" src="/face/art/${toFaceString(face)}.svg" width="${options.size}" height="${options.size}" alt="${options.alt}">`;
}

/** A one-line description of a face for `alt` text. */
export function faceAlt(face: Face): string {
  return `Face: ${PARAM_KEYS.filter((k) => face.params[k].tag !== 'none')
    .map((k) => `${PARAM_NAMES[k]} ${face.params[k].tag}`)
    .join(', ')}`;
}

/** The JSON the studio script reads: profile, choices and the period (escaped for a script tag). */
function studioData(view: StudioView): SafeHtml {
  const json = JSON.stringify({
    profile: view.profile,
    pins: view.choices.pins,
    seed: view.choices.seed,
    art: `/face/art-data/${faceArtAsset().file}`,
  }).replace(/</g, '\\u003c');
  return raw(`<script type="application/json" id="face-data">${json}</script>`);
}

function periodForm(view: StudioView): SafeHtml {
  return html`<form method="get" action="/face" class="period">
    <fieldset>
      <legend>Period</legend>
      <div class="period-fields">
        <label>Face of
          <select name="period">${FACE_PERIODS.map(
            (p) =>
              html`<option value="${p.value}"${view.period === p.value ? html` selected` : ''}>${p.label}</option>`,
          )}</select>
        </label>
        <label>Year <input type="number" name="year" min="1900" max="9999" value="${view.year}" inputmode="numeric"></label>
        <label>Compare with
          <select name="compare"><option value="">Nothing</option>${FACE_PERIODS.filter(
            (p) => p.value !== 'year',
          ).map(
            (p) =>
              html`<option value="${p.value}"${view.compareValue === p.value ? html` selected` : ''}>${p.label}</option>`,
          )}</select>
        </label>
        <button type="submit">Show</button>
      </div>
    </fieldset>
  </form>`;
}

function featureRows(view: StudioView): SafeHtml {
  const pins = view.choices.pins as Record<string, string | number | undefined>;
  return html`${PARAM_KEYS.map((key) => {
    const p = view.face.params[key];
    const pinned = pins[key];
    return html`<li class="feature" data-key="${key}">
      <div class="feature-head">
        <label for="pin-${key}"><strong>${PARAM_NAMES[key]}</strong></label>
        <select id="pin-${key}" name="pin_${key}">
          <option value="auto"${pinned === undefined ? html` selected` : ''}>auto (from your listening)</option>
          ${DEFAULT_CATALOGUE[key].map(
            (o) =>
              html`<option value="${o.tag}"${pinned === o.tag ? html` selected` : ''}>${o.tag}</option>`,
          )}
        </select>
      </div>
      <p class="reason"><span class="tag" data-tag="${key}">${p.tag}</span> <span data-reason="${key}">${p.reason}</span></p>
    </li>`;
  })}`;
}

function comparison(view: StudioView): SafeHtml {
  const c = view.comparison;
  if (c === null) return html``;
  return html`<section class="card" aria-labelledby="compare-title">
    <h2 id="compare-title">Against ${c.label}</h2>
    <div class="compare">
      ${faceArt(c.face, { size: 160, alt: `${c.label}: ${faceAlt(c.face)}` })}
      ${
        c.changes.length === 0
          ? html`<p>The same face: no feature changed between ${c.label} and ${view.periodLabel}.</p>`
          : html`<ul class="changes">${c.changes.map((x) => html`<li data-change="${x.key}">${x.why}</li>`)}</ul>`
      }
    </div>
  </section>`;
}

/** The studio: the face, the reason of every feature, pins, variation, compare and downloads. */
export function studioBody(view: StudioView): SafeHtml {
  const { face, page } = view;
  const back = html`<input type="hidden" name="back" value="${view.periodQuery}">`;
  const blocked = view.blocked
    ? html`<div class="banner warn" role="status" data-blocked>Spotify allows no more requests for your account right now, so this is your last face, from ${when(view.collectedAt, view.timeZone)}.${view.blocked.resumeAt === null ? ' Spotify did not say when it allows more.' : ` Spotify allows more from ${when(view.blocked.resumeAt, view.timeZone)}.`}</div>`
    : '';
  return html`<h1>Your face</h1>
  ${blocked}
  ${periodForm(view)}
  <div class="studio">
    <section class="card face-card" aria-labelledby="face-title">
      <h2 id="face-title">${view.periodLabel}</h2>
      ${faceArt(face, { id: 'face-preview', size: 320, alt: faceAlt(face) })}
      <p class="face-string">Face <code id="face-string">${toFaceString(face)}</code> · <a id="notion-link" href="${toNotionFaceUrl(face)}" rel="noopener">Open in Notion Faces</a></p>
      <p class="muted">${view.profile.totals.plays} plays, ${Math.round(view.profile.totals.msPlayed / 3_600_000)} hours${view.profile.topGenre ? `, top genre ${view.profile.topGenre.name}` : ''}. Collected ${when(view.collectedAt, view.timeZone)}.</p>
      <div class="face-actions">
        <form method="post" action="/face/vary" class="inline">${csrfField(page)}${back}<input type="hidden" name="seed" value="${view.nextSeed}"><button type="submit">Another variation</button></form>
        ${view.choices.seed === null ? '' : html`<form method="post" action="/face/vary" class="inline">${csrfField(page)}${back}<input type="hidden" name="reset" value="1"><button type="submit" class="secondary">Back to the mapped face</button></form>`}
        <form method="post" action="/face/refresh" class="inline">${csrfField(page)}${back}<button type="submit" class="secondary">Collect again from Spotify</button></form>
      </div>
      <form method="post" action="/face/download" class="download">
        ${csrfField(page)}${back}
        <fieldset><legend>Download (kept in your gallery)</legend>
          <label>Shape <select name="layout"><option value="square">Square 1024 × 1024</option><option value="banner">Banner 1500 × 500</option></select></label>
          <label>Format <select name="format"><option value="png">PNG</option><option value="webp">WebP</option></select></label>
          <label class="check"><input type="checkbox" name="overlay" value="1"> Name, date, top artists, hours and genre</label>
          <button type="submit">Download</button>
        </fieldset>
      </form>
    </section>
    <section class="card" aria-labelledby="features-title">
      <h2 id="features-title">Why it looks like this</h2>
      <form method="post" action="/face/pins" id="pin-form">
        ${csrfField(page)}${back}
        <ul class="features">${featureRows(view)}</ul>
        <p><button type="submit" id="save-pins">Save pins</button> <span class="hint" id="pin-status" role="status"></span></p>
      </form>
    </section>
  </div>
  ${comparison(view)}
  ${studioData(view)}`;
}

/** While the profile is gathered: a page that reloads itself. */
export function loadingBody(periodLabel: string): SafeHtml {
  return html`<section class="card narrow" aria-busy="true">
    <h1>Gathering your listening…</h1>
    <p>Your face for ${periodLabel} is being made from your Spotify account and your stored plays. This page reloads by itself in a moment.</p>
  </section>`;
}
