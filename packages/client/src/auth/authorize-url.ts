import { z } from 'zod';
import { parseOptions } from '../internal/parse-options.js';

/** Schema of {@link AuthorizeUrlOptions}. */
export const authorizeUrlOptionsSchema = z.object({
  accountsBaseUrl: z.url().default('https://accounts.spotify.com'),
  clientId: z.string().min(1),
  redirectUri: z.url(),
  scopes: z.array(z.string()).default([]),
  state: z.string().min(8),
  codeChallenge: z.string().min(43).optional(),
  showDialog: z.boolean().optional(),
});

/** Options of {@link buildAuthorizeUrl}. */
export type AuthorizeUrlOptions = z.input<typeof authorizeUrlOptionsSchema>;

/**
 * Builds the `/authorize` URL of the authorization-code flow (with PKCE S256 when
 * `codeChallenge` is given). Redirect the user there; Spotify comes back with `code` and `state`.
 *
 * @example
 * ```ts
 * const pkce = createPkcePair();
 * const state = createState();
 * const url = buildAuthorizeUrl({
 *   clientId: 'abc',
 *   redirectUri: 'http://127.0.0.1:3000/callback',
 *   scopes: ['user-top-read'],
 *   state,
 *   codeChallenge: pkce.challenge,
 * });
 * ```
 */
export function buildAuthorizeUrl(options: AuthorizeUrlOptions): string {
  const o = parseOptions(authorizeUrlOptionsSchema, options);
  const url = new URL(o.accountsBaseUrl.replace(/\/$/, '') + '/authorize');
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', o.clientId);
  url.searchParams.set('redirect_uri', o.redirectUri);
  url.searchParams.set('state', o.state);
  if (o.scopes.length > 0) url.searchParams.set('scope', o.scopes.join(' '));
  if (o.codeChallenge) {
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('code_challenge', o.codeChallenge);
  }
  if (o.showDialog) url.searchParams.set('show_dialog', 'true');
  return url.toString();
}
