/**
 * What the importer accepts from a row of a Spotify data export. Rows outside these limits are
 * skipped (dates, durations) or kept with the field cut short (text), and reported with their file
 * and row either way.
 *
 * - `maxTextLength`: the longest name or other text field kept, in UTF-16 code units (1,000; real
 *   track, artist, album and episode names are far shorter). A longer value keeps its first 999
 *   units and an ellipsis (`…`), and the row is reported as `EXPORT_TRUNCATED_FIELD`.
 * - `maxMsPlayed`: the longest play accepted (24 hours); longer or non-finite durations skip the row.
 * - `earliestPlayMs`: no history holds a play before 2006-01-01 (Spotify was founded that year).
 * - `exportSlackMs`: no play ends after the export was made plus one day (the zip's file times
 *   are local times without a zone, hence the day).
 *
 * @example
 * ```ts
 * if (name.length > EXPORT_LIMITS.maxTextLength) console.warn('will be truncated on import');
 * ```
 */
export const EXPORT_LIMITS = Object.freeze({
  maxTextLength: 1_000,
  maxMsPlayed: 86_400_000,
  earliestPlayMs: Date.UTC(2006, 0, 1),
  exportSlackMs: 86_400_000,
});

/**
 * `text` cut to `max` UTF-16 units with an ellipsis, never splitting a surrogate pair, as a fresh
 * string: a plain `slice` would keep the whole original (possibly hundreds of MB) alive.
 */
export function truncateText(text: string, max: number = EXPORT_LIMITS.maxTextLength): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return Buffer.from(`${text.slice(0, end)}…`, 'utf16le').toString('utf16le');
}
