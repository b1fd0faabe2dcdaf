/**
 * Milliseconds a `Retry-After` header asks to wait: seconds or an HTTP date (against `now`, epoch
 * ms); 1 s when absent or unreadable (browsers cannot read it on 429s without CORS headers).
 */
export function parseRetryAfter(header: string | null, now: number): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}
