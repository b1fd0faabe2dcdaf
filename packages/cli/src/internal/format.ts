/** Thousands-separated integer. */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** "12 h 05 min" / "45 min". */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${int(h)} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

/** Percentage with one decimal. */
export const percent = (share: number): string => `${(share * 100).toFixed(1)} %`;

/**
 * Cuts a string to `width` characters (code points) with an ellipsis. Reads at most `width + 1`
 * code points, so a name of hundreds of megabytes costs no more than a short one.
 */
export function cut(text: string, width: number): string {
  const unitsOf = (i: number) => ((text.codePointAt(i) as number) > 0xffff ? 2 : 1);
  let units = 0;
  let keep = 0;
  for (let count = 0; count <= width; count++) {
    if (units >= text.length) return text;
    if (count === width - 1) keep = units;
    units += unitsOf(units);
  }
  return `${text.slice(0, keep)}…`;
}

const pad = (text: string, width: number, right: boolean) => {
  const len = [...text].length;
  const fill = ' '.repeat(Math.max(0, width - len));
  return right ? fill + text : text + fill;
};

/**
 * A plain-text table: a header row, a rule, and rows; `align` says which columns are numbers
 * (right-aligned).
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[],
): string {
  const widths = header.map((h, c) =>
    Math.max([...h].length, ...rows.map((r) => [...(r[c] ?? '')].length)),
  );
  const line = (cells: readonly string[]) =>
    `  ${cells.map((cell, c) => pad(cell, widths[c] ?? 0, numeric[c] ?? false)).join('  ')}`.trimEnd();
  return [line(header), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...rows.map(line)].join(
    '\n',
  );
}

/** A horizontal bar chart of 24 hourly values, one line per hour. */
export function hourChart(hours: readonly number[], width = 40): string {
  const total = hours.reduce((a, b) => a + b, 0);
  const max = Math.max(...hours, 0);
  return hours
    .map((value, h) => {
      const eighths = max > 0 ? Math.round((value / max) * width * 8) : 0;
      const bar =
        '█'.repeat(Math.floor(eighths / 8)) +
        (eighths % 8 > 0 ? (['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8] ?? '') : '');
      const share = total > 0 ? value / total : 0;
      return `  ${String(h).padStart(2, '0')}:00 ${pad(bar, width + 1, false)} ${pad(percent(share), 7, true)}`;
    })
    .join('\n');
}
