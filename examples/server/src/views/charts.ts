import { type SafeHtml, html } from './html.js';

/** An element id from a chart's title (titles are unique within a page). */
const nextId = (prefix: string, title: string) =>
  `${prefix}-${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;

const fmt = (n: number) =>
  Number.isInteger(n)
    ? String(n)
    : n > 0 && n < 0.1
      ? '<0.1' // a small share, not none
      : n >= 100
        ? String(Math.round(n))
        : n >= 10
          ? n.toFixed(0)
          : n.toFixed(1);

/** A labelled value of a chart. */
export interface Datum {
  readonly label: string;
  readonly value: number;
}

/**
 * Horizontal bars, one per item, each labelled with its name and value: readable without
 * JavaScript and by screen readers (`<title>` and `<desc>`, and a text label on every bar).
 */
export function barChart(title: string, data: readonly Datum[], unit: string): SafeHtml {
  const id = nextId('bars', title);
  const rowHeight = 26;
  const width = 420;
  const labelWidth = 150;
  const max = Math.max(1, ...data.map((d) => d.value));
  const height = Math.max(rowHeight, data.length * rowHeight) + 4;
  const rows = data.map((d, i) => {
    const y = i * rowHeight + 2;
    const w = Math.max(2, Math.round(((width - labelWidth - 80) * d.value) / max));
    const label = d.label.length > 18 ? `${d.label.slice(0, 17)}…` : d.label;
    return html`<g>
      <text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" class="lbl">${label}</text>
      <rect x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 8}" rx="3" class="bar"></rect>
      <text x="${labelWidth + w + 6}" y="${y + 17}" class="val">${fmt(d.value)} ${unit}</text>
    </g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-t ${id}-d">
    <title id="${id}-t">${title}</title>
    <desc id="${id}-d">${data.map((d) => `${d.label}: ${fmt(d.value)} ${unit}`).join('; ')}</desc>
    ${rows}
  </svg>`;
}

/** Vertical columns with labels under them (hours of the day, months). */
export function columnChart(
  title: string,
  data: readonly Datum[],
  unit: string,
  everyNthLabel = 1,
): SafeHtml {
  const id = nextId('cols', title);
  const width = 420;
  const height = 160;
  const bottom = 24;
  const max = Math.max(1, ...data.map((d) => d.value));
  const step = width / Math.max(1, data.length);
  const cols = data.map((d, i) => {
    const h = Math.round(((height - bottom - 16) * d.value) / max);
    const x = i * step;
    return html`<g>
      <rect x="${(x + step * 0.15).toFixed(1)}" y="${height - bottom - h}" width="${(step * 0.7).toFixed(1)}" height="${h}" class="bar"><title>${d.label}: ${fmt(d.value)} ${unit}</title></rect>
      ${i % everyNthLabel === 0 ? html`<text x="${(x + step / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle" class="tick">${d.label}</text>` : ''}
    </g>`;
  });
  // Room at both sides for the first and last labels, which are centred on their columns.
  const pad = 24;
  return html`<svg class="chart cols" viewBox="${-pad} 0 ${width + 2 * pad} ${height}" role="img" aria-labelledby="${id}-t ${id}-d">
    <title id="${id}-t">${title}</title>
    <desc id="${id}-d">${data.map((d) => `${d.label}: ${fmt(d.value)} ${unit}`).join('; ')}</desc>
    ${cols}
  </svg>`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Weekday x hour heatmap of listening minutes; darker is more. */
export function heatmap(title: string, weekdayHours: readonly (readonly number[])[]): SafeHtml {
  const id = nextId('heat', title);
  const cell = 22;
  const left = 52;
  const top = 24;
  const max = Math.max(1, ...weekdayHours.flat());
  const cells = weekdayHours.map((hours, day) =>
    hours.map((ms, hour) => {
      const level = Math.ceil((ms / max) * 5);
      return html`<rect x="${left + hour * cell}" y="${top + day * cell}" width="${cell - 2}" height="${cell - 2}" class="heat-${level}"><title>${WEEKDAYS[day] ?? ''} ${String(hour).padStart(2, '0')}:00 — ${fmt(ms / 60_000)} min</title></rect>`;
    }),
  );
  const hourLabels = [0, 3, 6, 9, 12, 15, 18, 21].map(
    (h) =>
      html`<text x="${left + h * cell + cell / 2}" y="16" text-anchor="middle" class="tick">${String(h).padStart(2, '0')}</text>`,
  );
  const dayLabels = WEEKDAYS.map(
    (d, i) =>
      html`<text x="${left - 6}" y="${top + i * cell + 15}" text-anchor="end" class="tick">${d}</text>`,
  );
  const busiest = weekdayHours
    .flatMap((hours, day) => hours.map((ms, hour) => ({ day, hour, ms })))
    .sort((a, b) => b.ms - a.ms)[0];
  return html`<svg class="chart heat" viewBox="0 0 ${left + 24 * cell + 4} ${top + 7 * cell + 4}" role="img" aria-labelledby="${id}-t ${id}-d">
    <title id="${id}-t">${title}</title>
    <desc id="${id}-d">${busiest === undefined || busiest.ms === 0 ? 'No listening in this period' : `Busiest: ${WEEKDAYS[busiest.day]} ${String(busiest.hour).padStart(2, '0')}:00 with ${fmt(busiest.ms / 60_000)} minutes`}</desc>
    ${hourLabels}${dayLabels}${cells}
  </svg>`;
}
