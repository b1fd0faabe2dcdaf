import type { Face } from '@spoti/face';
import type { StoredFace } from '../storage/faces.js';
import { type SafeHtml, html } from './html.js';
import { type PageContext, csrfField } from './layout.js';
import { faceAlt, faceArt } from './face-page.js';

function day(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium' }).format(ms);
}

function month(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'long' }).format(ms);
}

/** The last face kept in each month, oldest month first: the evolution of the face. */
export function evolution(faces: readonly StoredFace[], timeZone: string): StoredFace[] {
  const byMonth = new Map<string, StoredFace>();
  for (const f of faces) {
    const key = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
    }).format(f.createdAt);
    const seen = byMonth.get(key);
    if (seen === undefined || seen.createdAt < f.createdAt) byMonth.set(key, f);
  }
  return [...byMonth.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, f]) => f);
}

function imageLinks(f: StoredFace): SafeHtml {
  return html`${f.images.map(
    (i) =>
      html`<a href="/faces/image/${i.hash}.${i.format}?download=spoti-face-${f.faceString}-${i.layout}.${i.format}">${i.layout === 'square' ? 'Square' : 'Banner'} ${i.format.toUpperCase()}${i.overlay ? ' with overlay' : ''}</a>`,
  )}`;
}

function shareBlock(page: PageContext, f: StoredFace, origin: string): SafeHtml {
  if (f.shareSlug === null) {
    return html`<form method="post" action="/faces/${f.id}/share" class="inline">${csrfField(page)}<button type="submit" class="secondary">Share (public link with your name)</button></form>`;
  }
  const url = `${origin}/f/${f.shareSlug}`;
  return html`<p class="share">Shared at <a href="/f/${f.shareSlug}" data-share-url="${url}">${url}</a></p>
    <div class="face-actions"><button type="button" class="secondary" data-copy="${url}" hidden>Copy link</button>
    <form method="post" action="/faces/${f.id}/unshare" class="inline">${csrfField(page)}<button type="submit" class="secondary">Stop sharing</button></form></div>`;
}

/** `/faces`: every kept face with thumbnails, downloads, sharing, delete, and the evolution. */
export function galleryBody(
  page: PageContext,
  faces: readonly StoredFace[],
  timeZone: string,
  origin: string,
): SafeHtml {
  if (faces.length === 0) {
    return html`<h1>Your faces</h1><section class="card"><p>No faces kept yet. <a href="/face">Make one in the studio</a>: every download is kept here.</p></section>`;
  }
  const months = evolution(faces, timeZone);
  return html`<h1>Your faces</h1>
  <section class="card" aria-labelledby="evolution-title">
    <h2 id="evolution-title">Month by month</h2>
    <ol class="evolution">${months.map(
      (f) =>
        html`<li>${faceArt(f.face as Face, { size: 96, alt: `${month(f.createdAt, timeZone)}: ${faceAlt(f.face as Face)}` })}<span>${month(f.createdAt, timeZone)}</span></li>`,
    )}</ol>
  </section>
  <ul class="gallery">${faces.map(
    (f) => html`<li class="card gallery-item" data-face-id="${f.id}">
      <a href="/faces/${f.id}">${faceArt(f.face as Face, { size: 160, alt: faceAlt(f.face as Face) })}</a>
      <h2><a href="/faces/${f.id}">${f.periodLabel}</a></h2>
      <p class="muted">${day(f.createdAt, timeZone)} · ${f.summary.plays} plays, ${f.summary.hours} hours${f.summary.topGenre ? ` · ${f.summary.topGenre}` : ''}</p>
      <p class="downloads">${imageLinks(f)}</p>
      ${shareBlock(page, f, origin)}
      <form method="post" action="/faces/${f.id}/delete" class="inline">${csrfField(page)}<button type="submit" class="danger">Delete</button></form>
    </li>`,
  )}</ul>`;
}

/** One kept face with every reason. */
export function faceDetailBody(
  page: PageContext,
  f: StoredFace,
  timeZone: string,
  origin: string,
): SafeHtml {
  const face = f.face as Face;
  return html`<h1>${f.periodLabel}, ${day(f.createdAt, timeZone)}</h1>
  <section class="card face-detail">
    ${faceArt(face, { size: 240, alt: faceAlt(face) })}
    <ul class="features">${Object.values(face.params).map(
      (p) =>
        html`<li><strong>${p.name}</strong> <span class="tag">${p.tag}</span> ${p.reason}</li>`,
    )}</ul>
    <p class="downloads">${imageLinks(f)}</p>
    ${shareBlock(page, f, origin)}
  </section>`;
}

/** The public page of a shared face. */
export function sharedBody(f: StoredFace, ownerName: string, url: string): SafeHtml {
  const face = f.face as Face;
  return html`<section class="card shared">
    <h1>${ownerName}'s face</h1>
    <p class="muted">${f.periodLabel} · made with spoti from their Spotify listening</p>
    <img class="banner-image" src="/f/${f.shareSlug ?? ''}/banner.png" width="1500" height="500" alt="${faceAlt(face)}">
    <ul class="features">${Object.values(face.params).map(
      (p) =>
        html`<li><strong>${p.name}</strong> <span class="tag">${p.tag}</span> ${p.reason}</li>`,
    )}</ul>
    <div class="face-actions">
      <button type="button" data-copy="${url}" hidden>Copy link</button>
      <button type="button" class="secondary" data-share="${url}" data-title="${ownerName}'s face" hidden>Share…</button>
    </div>
  </section>`;
}
