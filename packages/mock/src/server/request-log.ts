import type { RequestLogEntry } from './types.js';

const SECRET_PARAMS = new Set([
  'code',
  'access_token',
  'refresh_token',
  'client_secret',
  'code_verifier',
  'token',
]);

/** Per-endpoint counts and the request log. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private tally = new Map<string, number>();

  count(endpoint: string): void {
    this.tally.set(endpoint, (this.tally.get(endpoint) ?? 0) + 1);
    this.tally.set('total', (this.tally.get('total') ?? 0) + 1);
  }

  add(entry: Omit<RequestLogEntry, 'query'> & { query: URLSearchParams }): void {
    const query: Record<string, string> = {};
    for (const [key, value] of entry.query) if (!SECRET_PARAMS.has(key)) query[key] = value;
    this.entries.push({ ...entry, query });
  }

  counts(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.tally);
  }

  log(): readonly RequestLogEntry[] {
    return [...this.entries];
  }

  reset(): void {
    this.entries = [];
    this.tally = new Map();
  }
}
