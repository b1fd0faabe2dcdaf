import type { IncomingMessage } from 'node:http';
import { OAuthError } from './api-error.js';
import type { AuthStore } from './auth-store.js';

/** A response of the accounts service. */
export interface AccountsResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function json(status: number, value: unknown): AccountsResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    body: JSON.stringify(value),
  };
}

function text(status: number, message: string): AccountsResponse {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: message };
}

const WEB_SCHEMES = new Set(['http:', 'https:']);

function redirect(uri: string, params: Record<string, string>): AccountsResponse {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { status: 302, headers: { Location: url.toString() }, body: '' };
}

/** `GET /authorize`: validates the request and auto-consents as the chosen user. */
export function authorize(
  query: URLSearchParams,
  store: AuthStore,
  consentUser: string,
): AccountsResponse {
  const clientId = query.get('client_id');
  if (clientId === null || clientId === '' || store.client(clientId) === undefined) {
    return text(400, 'INVALID_CLIENT: Invalid client');
  }
  const redirectUri = query.get('redirect_uri');
  // RFC 6749 §3.1.2: a redirection endpoint never carries a fragment.
  if (redirectUri === null || !URL.canParse(redirectUri) || redirectUri.includes('#')) {
    return text(400, 'INVALID_CLIENT: Invalid redirect URI');
  }
  // Only a registered URI, or (when none are registered) an http(s) one, is ever redirected to:
  // never `javascript:`, `data:` or another scheme a browser would run or render.
  const registered = store.client(clientId);
  const allowed =
    registered?.redirectUris === undefined
      ? WEB_SCHEMES.has(new URL(redirectUri).protocol)
      : registered.redirectUris.includes(redirectUri);
  if (!allowed) return text(400, 'INVALID_CLIENT: Invalid redirect URI');
  const state = query.get('state');
  const withState = (params: Record<string, string>) =>
    state === null ? params : { ...params, state };
  if (query.get('response_type') !== 'code') {
    return redirect(redirectUri, withState({ error: 'unsupported_response_type' }));
  }
  const challenge = query.get('code_challenge') ?? undefined;
  const method = query.get('code_challenge_method');
  if (challenge !== undefined && method !== 'S256') {
    return redirect(redirectUri, withState({ error: 'invalid_request' }));
  }
  if (challenge === undefined && method !== null) {
    return redirect(redirectUri, withState({ error: 'invalid_request' }));
  }
  const scopes = (query.get('scope') ?? '').split(/[\s,]+/).filter((s) => s !== '');
  const code = store.createCode({
    clientId,
    userId: consentUser,
    redirectUri,
    scopes,
    codeChallenge: challenge,
  });
  return redirect(redirectUri, withState({ code }));
}

function basicAuth(req: IncomingMessage): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (header === undefined || !header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** `POST /api/token`: the authorization-code, refresh-token and client-credentials grants. */
export function tokenEndpoint(
  req: IncomingMessage,
  rawBody: string,
  store: AuthStore,
): AccountsResponse {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    return json(400, {
      error: 'invalid_request',
      error_description: 'Content-Type must be application/x-www-form-urlencoded',
    });
  }
  const form = new URLSearchParams(rawBody);
  const basic = basicAuth(req);
  const clientId = basic?.id ?? form.get('client_id') ?? undefined;
  const clientSecret = basic?.secret ?? form.get('client_secret') ?? undefined;
  try {
    switch (form.get('grant_type')) {
      case 'authorization_code':
        return json(
          200,
          store.exchangeCode({
            code: form.get('code') ?? undefined,
            redirectUri: form.get('redirect_uri') ?? undefined,
            clientId,
            clientSecret,
            codeVerifier: form.get('code_verifier') ?? undefined,
          }),
        );
      case 'refresh_token':
        return json(
          200,
          store.refreshTokens({
            refreshToken: form.get('refresh_token') ?? undefined,
            clientId,
            clientSecret,
          }),
        );
      case 'client_credentials':
        return json(200, store.clientCredentials(clientId, clientSecret));
      case null:
        throw new OAuthError('unsupported_grant_type', 'grant_type parameter is missing');
      default:
        throw new OAuthError('unsupported_grant_type', 'grant_type parameter is invalid');
    }
  } catch (error) {
    if (error instanceof OAuthError) {
      return json(error.status, { error: error.error, error_description: error.message });
    }
    throw error;
  }
}
