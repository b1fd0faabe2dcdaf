const secretParams =
  /([?&#](?:access_token|refresh_token|code|code_verifier|client_secret|token|state)=)[^&#\s]*/gi;
const bearer = /(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** Removes tokens, secrets and authorization codes from a text or URL. */
export function redactText(text: string): string {
  return text.replace(secretParams, '$1[redacted]').replace(bearer, '$1 [redacted]');
}
