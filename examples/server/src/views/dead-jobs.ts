import type { DeadJob } from '../runner/job-store.js';
import { type SafeHtml, html } from './html.js';

function when(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(ms);
}

/** Background jobs that failed their last try, for the sync log (nothing when there are none). */
export function deadJobsTable(dead: readonly DeadJob[], timeZone: string): SafeHtml {
  if (dead.length === 0) return html``;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="Failed background jobs (scrolls sideways on small screens)"><table><caption>Background jobs that gave up</caption>
    <thead><tr><th scope="col">Gave up</th><th scope="col">Job</th><th scope="col" class="num">Tries</th><th scope="col">Last error</th></tr></thead>
    <tbody>${dead.map((d) => html`<tr><td>${when(d.deadAt, timeZone)}</td><td>${d.name}</td><td class="num">${d.attempts}</td><td>${d.error}</td></tr>`)}</tbody>
  </table></div>`;
}
