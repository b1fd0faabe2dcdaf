import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { deleteUserEverywhere } from '../../storage/delete-user.js';
import { forgetMediaAndBilling } from '../media/media-services.js';
import { type MountRoute, type RouteOutput, mountRoutes, route } from '../define-route.js';
import type { OpenApiRegistry } from '../openapi.js';
import { ApiProblem } from '../problem.js';
import { accountSchema, idParams, iso, newTokenSchema, tokenInfoSchema } from '../schemas.js';
import type { ApiServices } from '../services.js';
import type { Account } from '../storage/accounts.js';
import { PASSWORD_LENGTH, checkPassword, hashPassword, passwordProblem } from './password.js';

const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('must be an email address'))
  .transform((e) => e.toLowerCase());

const displayName = z.string().trim().min(1).max(100);

const tokenName = z.string().trim().min(1).max(100);

/** An account as the API shows it. */
export function accountBody(a: Account): z.infer<typeof accountSchema> {
  return {
    id: a.id,
    email: a.email,
    role: a.role,
    artistId: a.artistId,
    displayName: a.displayName,
    linkedWebUser: a.webUserId !== null,
    createdAt: iso(a.createdAt),
  };
}

function tokenBody(info: {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}) {
  return {
    id: info.id,
    name: info.name,
    createdAt: iso(info.createdAt),
    lastUsedAt: info.lastUsedAt === null ? null : iso(info.lastUsedAt),
  };
}

/** The answer that hands out a new token: 201, never cached (the token is shown once). */
function newTokenAnswer(
  token: string,
  info: Parameters<typeof tokenBody>[0],
  more: { account?: z.infer<typeof accountSchema> } = {},
): RouteOutput {
  return {
    status: 201,
    body: { token, tokenInfo: tokenBody(info), ...more },
    headers: { 'Cache-Control': 'no-store' },
  };
}

/** `POST /auth/register` */
const registerRoute = route({
  method: 'post',
  path: '/auth/register',
  operationId: 'register',
  summary: 'Create an account (role listener) with an email and a password',
  description: `Passwords: ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters, at least 5 different characters, not a common password, not containing the email's name. Repeating a registration answers 409 EMAIL_TAKEN and changes nothing.`,
  tag: 'Accounts',
  auth: 'none',
  body: z.object({ email, password: z.string(), displayName }),
  responses: { 201: { description: 'The new account.', schema: accountSchema } },
  problems: [409],
  async handler({ body, services, catalog }) {
    const problem = passwordProblem(body.password, body.email);
    if (problem !== null)
      throw new ApiProblem('INVALID_INPUT', `Invalid body: body.password: ${problem}`, {
        fields: [{ path: 'body.password', message: problem }],
      });
    const role = services.adminEmails.has(body.email) ? 'admin' : 'listener';
    const account = await services.accounts.create({
      email: body.email,
      passwordHash: await hashPassword(body.password),
      displayName: body.displayName,
      role,
    });
    if (account === null)
      throw new ApiProblem('EMAIL_TAKEN', 'An account with this email exists: log in instead');
    await catalog.upsertUsers([
      {
        id: account.id,
        displayName: account.displayName,
        role: 'listener',
        artistId: null,
        country: null,
        imageUrl: null,
        preferences: { audioQuality: 'normal', offlineMode: false, explicitContent: true },
        createdAt: account.createdAt,
      },
    ]);
    return { status: 201, body: accountBody(account) };
  },
});

/** `POST /auth/login` */
const loginRoute = route({
  method: 'post',
  path: '/auth/login',
  operationId: 'login',
  summary: 'Exchange an email and password for a new API token',
  description:
    'Attempts are limited per email and per address (429 with Retry-After). Each success creates a token; revoke the ones you no longer use.',
  tag: 'Accounts',
  auth: 'none',
  body: z.object({
    email,
    password: z.string().max(1024),
    tokenName: tokenName.default('login'),
  }),
  responses: {
    201: {
      description: 'A new token and the account.',
      schema: newTokenSchema.extend({ account: accountSchema }),
    },
  },
  problems: [401],
  async handler({ body, services }) {
    const found = await services.accounts.credentialsOf(body.email);
    const ok = await checkPassword(found?.passwordHash ?? null, body.password);
    if (!ok || found === null)
      throw new ApiProblem('INVALID_CREDENTIALS', 'The email or the password is wrong');
    const { token, info } = await services.accounts.createToken(found.account.id, body.tokenName);
    return newTokenAnswer(token, info, { account: accountBody(found.account) });
  },
});

/** `GET /me` */
const getMeRoute = route({
  method: 'get',
  path: '/me',
  operationId: 'getMe',
  summary: "The caller's account",
  tag: 'Accounts',
  auth: 'required',
  responses: { 200: { description: 'The account.', schema: accountSchema } },
  async handler({ user, services }) {
    const account = await services.accounts.byId(user.id);
    if (account === null) throw new ApiProblem('UNAUTHENTICATED', 'The account is gone');
    return { status: 200, body: accountBody(account) };
  },
});

/** `PATCH /me` */
const updateMeRoute = route({
  method: 'patch',
  path: '/me',
  operationId: 'updateMe',
  summary: "Change the caller's display name",
  tag: 'Accounts',
  auth: 'required',
  body: z.object({ displayName }),
  responses: { 200: { description: 'The account.', schema: accountSchema } },
  async handler({ user, body, services, catalog }) {
    const account = await services.accounts.update(user.id, { displayName: body.displayName });
    if (account === null) throw new ApiProblem('UNAUTHENTICATED', 'The account is gone');
    const catalogUser = await catalog.getUser(user.id);
    if (catalogUser !== null)
      await catalog.upsertUsers([{ ...catalogUser, displayName: body.displayName }]);
    return { status: 200, body: accountBody(account) };
  },
});

/** `DELETE /me` */
const deleteMeRoute = route({
  method: 'delete',
  path: '/me',
  operationId: 'deleteMe',
  summary: 'Delete the account and everything it owns a row of (plays, likes, tokens, ...)',
  description:
    "An artist's account also deletes its artist profile, its songs (with their audio and every like, favourite and playlist entry of them, by anyone; other listeners' plays of them stay in their histories by name only, with no song, album or artist id) and its albums (with their covers). A Spotify sign-in linked to the account stays, unlinked.",
  tag: 'Accounts',
  auth: 'required',
  responses: { 204: { description: 'Deleted.' } },
  async handler({ user, services }) {
    await forgetMediaAndBilling(services.ctx, user.id);
    await deleteUserEverywhere(services.ctx.database, user.id, { objects: services.ctx.objects });
    // An artist's songs are gone: no shared search or trending answer may still name them.
    if (user.role === 'artist') services.shared.forget();
    return { status: 204 };
  },
});

/** `GET /tokens` */
const listTokensRoute = route({
  method: 'get',
  path: '/tokens',
  operationId: 'listTokens',
  summary: "The caller's API tokens (never the tokens themselves)",
  tag: 'Accounts',
  auth: 'required',
  responses: {
    200: { description: 'Newest first.', schema: z.object({ items: z.array(tokenInfoSchema) }) },
  },
  async handler({ user, services }) {
    const items = (await services.accounts.listTokens(user.id)).map(tokenBody);
    return { status: 200, body: { items } };
  },
});

/** `POST /tokens` */
const createTokenRoute = route({
  method: 'post',
  path: '/tokens',
  operationId: 'createToken',
  summary: 'Create another API token',
  tag: 'Accounts',
  auth: 'required',
  body: z.object({ name: tokenName }),
  responses: { 201: { description: 'The token, shown once.', schema: newTokenSchema } },
  async handler({ user, body, services }) {
    const { token, info } = await services.accounts.createToken(user.id, body.name);
    return newTokenAnswer(token, info);
  },
});

/** `DELETE /tokens/:id` */
const revokeTokenRoute = route({
  method: 'delete',
  path: '/tokens/:id',
  operationId: 'revokeToken',
  summary: "Revoke one of the caller's tokens (also the one in use); repeating it is harmless",
  tag: 'Accounts',
  auth: 'required',
  params: idParams,
  responses: { 204: { description: 'Revoked (or already gone).' } },
  async handler({ user, params, services }) {
    await services.accounts.revokeToken(user.id, params.id);
    return { status: 204 };
  },
});

/** `PATCH /accounts/:id` */
const setAccountRoleRoute = route({
  method: 'patch',
  path: '/accounts/:id',
  operationId: 'setAccountRole',
  summary: "Change an account's role (admin)",
  description:
    'Making an account an artist this way needs it to have an artist profile (POST /me/artist); demoting an artist to listener keeps the profile and its songs.',
  tag: 'Accounts',
  auth: 'required',
  roles: ['admin'],
  params: idParams,
  body: z.object({ role: z.enum(['listener', 'artist', 'admin']) }),
  responses: { 200: { description: 'The account.', schema: accountSchema } },
  problems: [404, 409],
  async handler({ params, body, services }) {
    const current = await services.accounts.byId(params.id);
    if (current === null) throw new ApiProblem('NOT_FOUND', `No account with id ${params.id}`);
    if (body.role === 'artist' && current.artistId === null)
      throw new ApiProblem('CONFLICT', 'This account has no artist profile yet (POST /me/artist)');
    const account = await services.accounts.update(params.id, { role: body.role });
    if (account === null) throw new ApiProblem('NOT_FOUND', `No account with id ${params.id}`);
    return { status: 200, body: accountBody(account) };
  },
});

/** The operations of accountRoutes, in the order they are documented and matched. */
const ACCOUNT_ROUTES: readonly MountRoute[] = [
  registerRoute,
  loginRoute,
  getMeRoute,
  updateMeRoute,
  deleteMeRoute,
  listTokensRoute,
  createTokenRoute,
  revokeTokenRoute,
  setAccountRoleRoute,
];

/** Registration, login, the caller's account, API tokens and the admin's role changes. */
export function accountRoutes(
  router: Router,
  registry: OpenApiRegistry,
  services: ApiServices,
  loginLimit: RequestHandler[],
): void {
  router.use(['/auth/login', '/auth/register'], ...loginLimit);
  mountRoutes(ACCOUNT_ROUTES, router, registry, services);
}
