import {
  type DigestPreview,
  type Release,
  type Subscriber,
  formatReleaseDate,
} from '@spoti/releases';
import type { SubscriptionState } from '../services/releases-service.js';
import { type SafeHtml, html } from './html.js';
import { type PageContext, csrfField, layout } from './layout.js';

/** What the `/releases` page shows. */
export interface ReleasesPageData {
  /** New releases of the user's artists, last 4 weeks, newest first. */
  readonly releases: readonly Release[];
  /** How many artists the user follows (as mirrored from Spotify). */
  readonly followedArtists: number;
  readonly subscriber: Subscriber | null;
  readonly state: SubscriptionState;
  /** The address to prefill (the subscription's, else the one in settings). */
  readonly email: string;
  readonly timeZone: string;
  /** The next digest as it stands (active or pending subscriptions). */
  readonly preview: DigestPreview | null;
  /** Link to the development outbox, when mail is written to files on the mock. */
  readonly outboxHref: string | null;
}

const TYPE_LABEL = { album: 'Album', single: 'Single', compilation: 'Compilation' } as const;

function day(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium' }).format(ms);
}

function cadenceText(days: number): string {
  return days === 7 ? 'every week' : days === 14 ? 'every two weeks' : `every ${days} days`;
}

function releasesTable(data: ReleasesPageData): SafeHtml {
  if (data.followedArtists === 0) {
    return html`<p>You follow no artists on Spotify yet (or the first sync has not finished). Follow some, then sync from <a href="/settings">Settings</a>.</p>`;
  }
  if (data.releases.length === 0) {
    return html`<p>No new releases from the ${data.followedArtists} artists you follow in the last four weeks${data.state === 'none' || data.state === 'unsubscribed' ? ' that we know of. Subscribe below and we start watching your artists' : ''}.</p>`;
  }
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="New releases (scrolls sideways on small screens)"><table>
    <caption>${data.releases.length} new release${data.releases.length === 1 ? '' : 's'} from artists you follow, last four weeks</caption>
    <thead><tr><th scope="col">Release</th><th scope="col">Artist</th><th scope="col">Type</th><th scope="col">Released</th><th scope="col" class="num">Editions</th></tr></thead>
    <tbody>${data.releases.map(
      (r) => html`<tr>
        <td><a href="${r.url}" rel="noopener">${r.name}</a></td>
        <td>${r.artists.map((a) => a.name).join(', ')}</td>
        <td>${TYPE_LABEL[r.type]}</td>
        <td>${formatReleaseDate(r.releaseDate, r.releaseDatePrecision)}</td>
        <td class="num">${r.editionIds.length}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

function subscribeForm(page: PageContext, data: ReleasesPageData, button: string): SafeHtml {
  const weekly = data.subscriber?.cadenceDays === 7;
  return html`<form method="post" action="/releases/subscribe" class="stack">
    ${csrfField(page)}
    <label for="email">Email address</label>
    <input id="email" name="email" type="email" required maxlength="254" autocomplete="email" value="${data.email}" aria-describedby="email-hint">
    <p class="hint" id="email-hint">We send one mail to confirm the address first, and nothing else until you confirm.</p>
    <fieldset>
      <legend>How often</legend>
      <label><input type="radio" name="cadence" value="biweekly"${weekly ? '' : html` checked`}> Every two weeks</label>
      <label><input type="radio" name="cadence" value="weekly"${weekly ? html` checked` : ''}> Every week</label>
    </fieldset>
    <button type="submit">${button}</button>
  </form>`;
}

function subscriptionCard(page: PageContext, data: ReleasesPageData): SafeHtml {
  const s = data.subscriber;
  const outbox =
    data.outboxHref === null
      ? ''
      : html`<p class="hint">Spotify is simulated here, so mail is not sent: it is written to the <a href="${data.outboxHref}">development outbox</a>.</p>`;
  if (s === null || data.state === 'none' || data.state === 'unsubscribed') {
    return html`<section class="card" aria-labelledby="mail-h"><h2 id="mail-h">Release emails</h2>
      ${data.state === 'unsubscribed' ? html`<p>You unsubscribed. Subscribe again below (you will confirm the address again).</p>` : html`<p>A digest of new releases from the artists you follow: the last four weeks right after you confirm, then every two weeks (or every week).</p>`}
      ${subscribeForm(page, data, 'Subscribe')}
      ${outbox}
    </section>`;
  }
  if (data.state === 'pending') {
    return html`<section class="card" aria-labelledby="mail-h"><h2 id="mail-h">Release emails</h2>
      <p role="status"><strong>Check your inbox.</strong> We sent a confirmation link to <strong>${s.email}</strong>. Nothing else is sent before you confirm.</p>
      <details><summary>Wrong address, or no mail?</summary>${subscribeForm(page, data, 'Send the confirmation again')}</details>
      ${outbox}
    </section>`;
  }
  const next = data.preview?.dueAt ?? null;
  return html`<section class="card" aria-labelledby="mail-h"><h2 id="mail-h">Release emails</h2>
    <p>Subscribed as <strong>${s.email}</strong>, ${cadenceText(s.cadenceDays)}.${next === null ? '' : ` Next digest: ${day(next, data.timeZone)}.`}</p>
    <details><summary>Change the address or how often</summary>${subscribeForm(page, data, 'Save')}</details>
    <form method="post" action="/releases/stop" class="inline">${csrfField(page)}<button type="submit" class="link">Unsubscribe</button></form>
    ${outbox}
  </section>`;
}

function previewCard(data: ReleasesPageData): SafeHtml {
  const p = data.preview;
  if (p === null) return html``;
  return html`<section class="card" aria-labelledby="preview-h"><h2 id="preview-h">Your next digest</h2>
    <p>${p.entries.length === 0 ? 'Nothing new for it yet' : `${p.entries.length} release${p.entries.length === 1 ? '' : 's'} so far`} (${day(p.periodFrom, data.timeZone)} to ${day(p.periodTo, data.timeZone)}).</p>
    ${p.entries.length === 0 ? '' : html`<ul>${p.entries.map((e) => html`<li>${e.artistName}: ${e.release.name} (${TYPE_LABEL[e.release.type]}, ${formatReleaseDate(e.release.releaseDate, e.release.releaseDatePrecision)})</li>`)}</ul>`}
    <p><a href="/releases/preview">See it as the email</a></p>
  </section>`;
}

/** `/releases`: new releases of followed artists, the digest subscription and its preview. */
export function releasesPage(page: PageContext, data: ReleasesPageData): string {
  return layout(page, {
    title: 'New releases',
    body: html`<h1>New releases</h1>
      <section class="card" aria-labelledby="recent-h"><h2 id="recent-h">From artists you follow</h2>${releasesTable(data)}</section>
      ${subscriptionCard(page, data)}
      ${previewCard(data)}`,
  });
}

/** The page behind a confirmation or unsubscribe link: one button that does it (POST). */
export function linkActionPage(
  page: PageContext,
  action: { title: string; text: string; href: string; button: string },
): string {
  return layout(page, {
    title: action.title,
    body: html`<section class="card narrow"><h1>${action.title}</h1>
      <p>${action.text}</p>
      <form method="post" action="${action.href}"><button type="submit">${action.button}</button></form>
    </section>`,
  });
}
