const secretNames = 'access_token|refresh_token|code|code_verifier|client_secret|token|state';
/** `name=value` in URLs and forms (`?`, `&`, `#`, or a word boundary before the name). */
const secretParams = new RegExp(`((?:^|[?&#\\s;,])(?:${secretNames})=)[^&#\\s"',;]*`, 'gi');
/** `"name": "value"` in JSON bodies. */
const secretJson = new RegExp(`("(?:${secretNames})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/** `Bearer xyz`, `Basic xyz`, also URL-encoded (`Bearer%20xyz`). */
const credentials = /(Bearer|Basic)(\s+|%20|\+)[A-Za-z0-9._~+/=-]+/gi;

/** Removes tokens, secrets and authorization codes from a text or URL. */
export function redactText(text: string): string {
  return text
    .replace(secretParams, '$1[redacted]')
    .replace(secretJson, '$1"[redacted]"')
    .replace(credentials, '$1 [redacted]');
}

/**
 * A copy of a transport error that is safe to keep as a `cause`: same name and redacted message,
 * but none of the attached objects (ky's errors hold the `Request`, with its Authorization header).
 */
export function sanitizeCause(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redactText(String(error)));
  const nested = error.cause === undefined ? undefined : sanitizeCause(error.cause);
  const copy = new Error(
    redactText(error.message),
    nested === undefined ? undefined : { cause: nested },
  );
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}
