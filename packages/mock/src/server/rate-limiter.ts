import { ApiError } from './api-error.js';
import type { QuotaOptions, RateLimitOptions } from './types.js';

const DAY_MS = 86_400_000;

/** Rolling-window limit per client id; `now` is a monotonic time that also follows clock advances. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly options: RateLimitOptions) {}

  check(clientId: string, now: number): void {
    const windowMs = this.options.windowMs ?? 30_000;
    const list = this.hits.get(clientId) ?? [];
    while (list.length > 0 && (list[0] as number) <= now - windowMs) list.shift();
    if (list.length >= this.options.allowance) {
      const oldest = list[0] ?? now;
      const seconds =
        this.options.retryAfterSeconds ?? Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      this.hits.set(clientId, list);
      throw new ApiError(429, 'API rate limit exceeded', {
        headers: { 'Retry-After': String(seconds) },
      });
    }
    list.push(now);
    this.hits.set(clientId, list);
  }

  reset(): void {
    this.hits.clear();
  }
}

/** Daily quota per client id and mock UTC day. */
export class Quota {
  private readonly used = new Map<string, number>();

  constructor(private readonly options: QuotaOptions) {}

  check(clientId: string, nowMs: number): void {
    const day = Math.floor(nowMs / DAY_MS);
    const key = `${clientId}\u0000${day}`;
    const count = this.used.get(key) ?? 0;
    if (count >= this.options.daily) {
      const seconds =
        this.options.retryAfterSeconds ??
        Math.max(1, Math.ceil(((day + 1) * DAY_MS - nowMs) / 1000));
      throw new ApiError(429, 'Too many requests', {
        reason: 'QUOTA_EXCEEDED',
        headers: { 'Retry-After': String(seconds) },
      });
    }
    this.used.set(key, count + 1);
  }

  reset(): void {
    this.used.clear();
  }
}
