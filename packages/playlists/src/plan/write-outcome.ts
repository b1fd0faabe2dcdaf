const UNKNOWN_CODES = new Set(['NETWORK', 'TIMEOUT', 'SERVER_ERROR', 'RESPONSE_VALIDATION']);

/**
 * Whether a failed Spotify call may still have been applied: a transport failure (reset,
 * timeout: the answer was lost), a 5xx, or an answer that could not be read. A 4xx, an abort or
 * anything the caller did wrong means the write was not applied.
 */
export function outcomeUnknown(error: unknown): boolean {
  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
  if (typeof code === 'string' && UNKNOWN_CODES.has(code)) return true;
  return typeof status === 'number' && status >= 500;
}

/** The HTTP status an error carries, if any. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
