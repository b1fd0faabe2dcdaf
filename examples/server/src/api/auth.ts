import type { RequestHandler } from 'express';
import { ApiProblem } from './problem.js';
import type { ApiServices } from './services.js';
import { isTokenShaped } from './storage/accounts.js';
import type { PlatformRole } from './storage/platform-schema.js';

/**
 * The caller of an API request, set by {@link authenticate} as `res.locals.apiUser`.
 *
 * Tests (and clients) get one over HTTP: `POST /api/v1/auth/register` with
 * `{ email, password, displayName }`, then `POST /api/v1/auth/login` with `{ email, password }`,
 * whose answer holds `token`; send it as `Authorization: Bearer <token>`. More tokens come from
 * `POST /api/v1/tokens`.
 */
export interface ApiUser {
  /** The account id (also the listener's id in the catalog). */
  readonly id: string;
  readonly role: PlatformRole;
  /** The artist profile this account manages (role `artist`), else null. */
  readonly artistId: string | null;
  readonly email: string;
  readonly displayName: string;
  /** The id of the token of this request. */
  readonly tokenId: string;
}

function bearer(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

/**
 * Reads `Authorization: Bearer <token>`. `required`: no or a bad token is a 401 problem;
 * `optional`: a missing token leaves `apiUser` null, a bad one is still a 401 (a client that sent
 * one meant to use it); `none`: the header is ignored.
 */
export function authenticate(
  services: ApiServices,
  mode: 'none' | 'optional' | 'required',
): RequestHandler {
  return async (req, res, next) => {
    res.locals.apiUser = null;
    if (mode === 'none') return next();
    const token = bearer(req.get('authorization'));
    if (token === null) {
      if (mode === 'optional') return next();
      res.setHeader('WWW-Authenticate', 'Bearer realm="spoti"');
      throw new ApiProblem('UNAUTHENTICATED', 'Send an API token: Authorization: Bearer <token>');
    }
    const found = isTokenShaped(token) ? await services.accounts.authenticate(token) : null;
    if (found === null) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="spoti", error="invalid_token"');
      throw new ApiProblem('UNAUTHENTICATED', 'The API token is unknown or revoked');
    }
    const user: ApiUser = {
      id: found.account.id,
      role: found.account.role,
      artistId: found.account.artistId,
      email: found.account.email,
      displayName: found.account.displayName,
      tokenId: found.tokenId,
    };
    res.locals.apiUser = user;
    next();
  };
}

/** Lets the request through only when `res.locals.apiUser` has one of `roles` (403 otherwise). */
export function requireRole(...roles: readonly PlatformRole[]): RequestHandler {
  return (_req, res, next) => {
    const user = res.locals.apiUser as ApiUser | null | undefined;
    if (user === null || user === undefined)
      throw new ApiProblem('UNAUTHENTICATED', 'Send an API token: Authorization: Bearer <token>');
    if (!roles.includes(user.role))
      throw new ApiProblem(
        'FORBIDDEN',
        `This needs the role ${roles.join(' or ')}; yours is ${user.role}`,
      );
    next();
  };
}
