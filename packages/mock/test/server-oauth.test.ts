import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { start } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:5173/callback';

async function authorize(mock: MockServer, params: Record<string, string>): Promise<Response> {
  const query = new URLSearchParams({
    client_id: 'app',
    response_type: 'code',
    redirect_uri: REDIRECT,
    state: 'xyz',
    scope: 'user-read-private user-top-read',
    ...params,
  });
  return fetch(`${mock.accountsUrl}/authorize?${query}`, { redirect: 'manual' });
}

async function codeFrom(response: Response): Promise<string> {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(location.searchParams.get('state')).toBe('xyz');
  return location.searchParams.get('code') ?? '';
}

async function token(mock: MockServer, form: Record<string, string>, basic?: string) {
  const response = await fetch(`${mock.accountsUrl}/api/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(basic === undefined
        ? {}
        : { Authorization: `Basic ${Buffer.from(basic).toString('base64')}` }),
    },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const verifier = 'a-very-long-code-verifier-of-at-least-forty-three-characters-1234';
const challenge = createHash('sha256').update(verifier).digest('base64url');

describe('authorization code with PKCE', () => {
  it('exchanges a code for tokens that work, and refreshes', async () => {
    const mock = await start();
    const code = await codeFrom(
      await authorize(mock, { code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const exchange = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'app',
    };
    const granted = await token(mock, { ...exchange, code_verifier: verifier });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'user-read-private user-top-read',
    });
    const me = await fetch(`${mock.apiUrl}/me`, {
      headers: { Authorization: `Bearer ${granted.body.access_token}` },
    });
    expect(((await me.json()) as { id: string }).id).toBe('user0');
    const refreshed = await token(mock, {
      grant_type: 'refresh_token',
      refresh_token: String(granted.body.refresh_token),
      client_id: 'app',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(granted.body.access_token);
    // The same code cannot be used twice (and using it again revokes what it gave).
    const reused = await token(mock, { ...exchange, code_verifier: verifier });
    expect(reused).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid authorization code' },
    });
  });

  it('rejects a wrong verifier and a missing one', async () => {
    const mock = await start();
    const code = await codeFrom(
      await authorize(mock, { code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const bad = await token(mock, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'app',
      code_verifier: `${verifier}x`,
    });
    expect(bad).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'code_verifier was incorrect' },
    });
  });

  it('expires codes after 10 minutes of mock time', async () => {
    const mock = await start();
    const code = await codeFrom(
      await authorize(mock, { code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    mock.controls.clock.advance(10 * 60_000 + 1);
    const late = await token(mock, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'app',
      code_verifier: verifier,
    });
    expect(late.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Authorization code expired',
    });
  });

  it('rejects plain challenges and other response types by redirecting with an error', async () => {
    const mock = await start();
    const plain = await authorize(mock, {
      code_challenge: verifier,
      code_challenge_method: 'plain',
    });
    expect(new URL(plain.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'invalid_request',
    );
    const implicit = await authorize(mock, { response_type: 'token' });
    expect(new URL(implicit.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
  });
});

describe('authorization code without PKCE', () => {
  it('needs the client secret, and honours the consent user', async () => {
    const mock = await start();
    mock.controls.auth.setConsentUser('user1');
    const code = await codeFrom(await authorize(mock, {}));
    const exchange = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    const noSecret = await token(mock, { ...exchange, client_id: 'app' });
    expect(noSecret.body.error).toBe('invalid_client');
    const code2 = await codeFrom(await authorize(mock, {}));
    const granted = await token(mock, { ...exchange, code: code2 }, 'app:secret');
    expect(granted.status).toBe(200);
    const me = await fetch(`${mock.apiUrl}/me`, {
      headers: { Authorization: `Bearer ${granted.body.access_token}` },
    });
    expect(((await me.json()) as { id: string }).id).toBe('user1');
  });

  it('rejects unknown clients and redirect URIs when clients are registered', async () => {
    const mock = await start({
      clients: [{ clientId: 'known', clientSecret: 's3cret', redirectUris: [REDIRECT] }],
    });
    expect((await authorize(mock, { client_id: 'other' })).status).toBe(400);
    expect(
      (await authorize(mock, { client_id: 'known', redirect_uri: 'http://127.0.0.1/else' })).status,
    ).toBe(400);
    const code = await codeFrom(await authorize(mock, { client_id: 'known' }));
    const wrong = await token(
      mock,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      'known:nope',
    );
    expect(wrong.body.error).toBe('invalid_client');
    const app = await token(mock, { grant_type: 'client_credentials' }, 'other:s3cret');
    expect(app.body.error).toBe('invalid_client');
  });
});

describe('refresh tokens', () => {
  it('answer invalid_grant six months after the original authorization', async () => {
    const mock = await start();
    const issued = mock.controls.auth.issueTokens({ clientId: 'app' });
    const refresh = () =>
      token(mock, {
        grant_type: 'refresh_token',
        refresh_token: issued.refresh_token,
        client_id: 'app',
      });
    mock.controls.clock.advance(150 * 86_400_000);
    expect((await refresh()).status).toBe(200);
    mock.controls.clock.advance(40 * 86_400_000);
    expect(await refresh()).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Refresh token revoked' },
    });
  });

  it('can be expired on demand, and access tokens too', async () => {
    const mock = await start();
    const issued = mock.controls.auth.issueTokens({ clientId: 'app' });
    mock.controls.auth.expireAccessTokens();
    const me = await fetch(`${mock.apiUrl}/me`, {
      headers: { Authorization: `Bearer ${issued.access_token}` },
    });
    expect(me.status).toBe(401);
    expect(await me.json()).toEqual({
      error: { status: 401, message: 'The access token expired' },
    });
    mock.controls.auth.expireRefreshTokens();
    const refreshed = await token(mock, {
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
      client_id: 'app',
    });
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('access tokens expire after their lifetime on the mock clock', async () => {
    const mock = await start({ accessTokenTtlSeconds: 60 });
    const { access_token, expires_in } = mock.controls.auth.issueTokens();
    expect(expires_in).toBe(60);
    const me = () =>
      fetch(`${mock.apiUrl}/me`, { headers: { Authorization: `Bearer ${access_token}` } });
    expect((await me()).status).toBe(200);
    mock.controls.clock.advance(60_000);
    expect((await me()).status).toBe(401);
  });
});

describe('client credentials', () => {
  it('gives an app token that reads the catalogue but not /me', async () => {
    const mock = await start();
    const app = await token(mock, { grant_type: 'client_credentials' }, 'app:secret');
    expect(app.status).toBe(200);
    expect(app.body.refresh_token).toBeUndefined();
    const headers = { Authorization: `Bearer ${app.body.access_token}` };
    const artistId = [...mock.world.artists.keys()][0];
    expect((await fetch(`${mock.apiUrl}/artists/${artistId}`, { headers })).status).toBe(200);
    expect((await fetch(`${mock.apiUrl}/me`, { headers })).status).toBe(401);
    expect((await fetch(`${mock.apiUrl}/me/top/artists`, { headers })).status).toBe(401);
    const missing = await token(mock, {});
    expect(missing.body.error).toBe('unsupported_grant_type');
  });

  it('enforces scopes on user tokens', async () => {
    const mock = await start();
    const { access_token } = mock.controls.auth.issueTokens({ scopes: ['user-read-private'] });
    const top = await fetch(`${mock.apiUrl}/me/top/artists`, {
      headers: { Authorization: `Bearer ${access_token}` },
    });
    expect(top.status).toBe(403);
  });
});

describe('as Spotify accounts service (hardening)', () => {
  it('refuses to refresh a confidential client without client authentication', async () => {
    const mock = await start();
    const code = await codeFrom(await authorize(mock, {}));
    const granted = await token(
      mock,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      'app:secret',
    );
    expect(granted.status).toBe(200);
    const refresh_token = String(granted.body.refresh_token);
    const bare = await token(mock, { grant_type: 'refresh_token', refresh_token });
    expect(bare.body.error).toBe('invalid_client');
    const idOnly = await token(mock, {
      grant_type: 'refresh_token',
      refresh_token,
      client_id: 'app',
    });
    expect(idOnly.body.error).toBe('invalid_client');
    const authed = await token(mock, { grant_type: 'refresh_token', refresh_token }, 'app:secret');
    expect(authed.status).toBe(200);
    // Tokens issued directly as a confidential client follow the same rule.
    const issued = mock.controls.auth.issueTokens({ clientId: 'app', confidential: true });
    const direct = await token(mock, {
      grant_type: 'refresh_token',
      refresh_token: issued.refresh_token,
      client_id: 'app',
    });
    expect(direct.body.error).toBe('invalid_client');
  });

  it('revokes the first exchange’s tokens when a code is used again (RFC 6749 §4.1.2)', async () => {
    const mock = await start();
    const code = await codeFrom(
      await authorize(mock, { code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const exchange = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: 'app',
      code_verifier: verifier,
    };
    const first = await token(mock, exchange);
    expect(first.status).toBe(200);
    const refreshed = await token(mock, {
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      client_id: 'app',
    });
    expect(refreshed.status).toBe(200);
    const me = (accessToken: unknown) =>
      fetch(`${mock.apiUrl}/me`, { headers: { Authorization: `Bearer ${String(accessToken)}` } });
    expect((await me(first.body.access_token)).status).toBe(200);
    expect((await token(mock, exchange)).body.error).toBe('invalid_grant');
    expect((await me(first.body.access_token)).status).toBe(401);
    expect((await me(refreshed.body.access_token)).status).toBe(401);
    const again = await token(mock, {
      grant_type: 'refresh_token',
      refresh_token: String(first.body.refresh_token),
      client_id: 'app',
    });
    expect(again.body.error).toBe('invalid_grant');
    // Another user's authorization is untouched.
    const other = mock.controls.auth.issueTokens({ clientId: 'app' });
    expect((await me(other.access_token)).status).toBe(200);
  });

  it('refuses client credentials with a secret for a client registered without one', async () => {
    const mock = await start({ clients: [{ clientId: 'public-app' }] });
    const wrong = await token(mock, { grant_type: 'client_credentials' }, 'public-app:anything');
    expect(wrong).toEqual({
      status: 400,
      body: { error: 'invalid_client', error_description: 'Invalid client secret' },
    });
    const none = await token(mock, { grant_type: 'client_credentials', client_id: 'public-app' });
    expect(none.body.error).toBe('invalid_client');
  });

  it('never redirects to javascript: or other non-web URIs that are not registered', async () => {
    const mock = await start();
    for (const uri of [
      'javascript:alert(document.domain)//',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
    ]) {
      const response = await authorize(mock, { redirect_uri: uri });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      // An error is never redirected there either.
      const error = await authorize(mock, { redirect_uri: uri, response_type: 'token' });
      expect(error.headers.get('location')).toBeNull();
    }
    // A fragment would swallow the code the redirect appends (RFC 6749 §3.1.2).
    for (const uri of [`${REDIRECT}#`, `${REDIRECT}#frag`]) {
      expect((await authorize(mock, { redirect_uri: uri })).status).toBe(400);
    }
    await expect(
      start({ clients: [{ clientId: 'x', redirectUris: ['javascript:alert(1)'] }] }),
    ).rejects.toThrow(/redirect URI must not use javascript:/);
    await expect(
      start({ clients: [{ clientId: 'x', redirectUris: [`${REDIRECT}#x`] }] }),
    ).rejects.toThrow(/must not have a fragment/);
    // A registered custom scheme (a native app) is still honoured.
    const native = await start({ clients: [{ clientId: 'app', redirectUris: ['myapp://cb'] }] });
    const ok = await authorize(native, { redirect_uri: 'myapp://cb' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toMatch(/^myapp:\/\/cb\?code=/);
  });
});
