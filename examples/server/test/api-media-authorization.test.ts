import { type StripeMockServer, startStripeMock } from '@spoti/mock';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, registerAndLogin } from './api-client.js';
import {
  type MediaFixtures,
  addSong,
  fileForm,
  makeArtist,
  makeMediaFixtures,
} from './api-media-fixtures.js';
import { type TestServer, startTestServer } from './helpers.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 240_000 });

type Role = 'anonymous' | 'listener' | 'owner' | 'other' | 'admin';
const ROLES: readonly Role[] = ['anonymous', 'listener', 'owner', 'other', 'admin'];
type Outcome = 'ok' | 400 | 401 | 403 | 404 | 409;
type Expect = Record<Role, Outcome>;

const PUBLIC: Expect = { anonymous: 'ok', listener: 'ok', owner: 'ok', other: 'ok', admin: 'ok' };
const SIGNED_IN: Expect = { anonymous: 401, listener: 'ok', owner: 'ok', other: 'ok', admin: 'ok' };
const OWNER_OR_ADMIN: Expect = {
  anonymous: 401,
  listener: 403,
  owner: 'ok',
  other: 403,
  admin: 'ok',
};
const OWNER_SEES: Expect = { anonymous: 404, listener: 404, owner: 'ok', other: 404, admin: 404 };
const SIGNED_IN_OWNER_SEES: Expect = {
  anonymous: 401,
  listener: 404,
  owner: 'ok',
  other: 404,
  admin: 404,
};
/** Billing: `owner` pays for a Family plan, `listener` is a member of it. */
const SUBSCRIPTION_OWNER: Expect = {
  anonymous: 401,
  listener: 404,
  owner: 'ok',
  other: 404,
  admin: 404,
};

/** Fake Stripe settings: the right shapes, obviously not real. */
const FAKE = {
  STRIPE_SECRET_KEY: 'sk_test_fake_matrix_key',
  STRIPE_WEBHOOK_SECRET: 'whsec_fake_matrix_secret',
  STRIPE_PRICE_FAMILY: 'price_family_matrix',
  STRIPE_PRICE_INDIVIDUAL: 'price_individual_matrix',
};

interface Fixture {
  readonly ids: Record<Role, string | null>;
  readonly fx: MediaFixtures;
}

interface Case {
  readonly op: string;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: (f: Fixture) => string;
  /** A multipart form, or a JSON body. */
  readonly form?: (f: Fixture) => FormData;
  readonly json?: unknown;
  readonly expect: Expect;
}

const CASES: readonly Case[] = [
  {
    op: 'uploadSongAudio (public)',
    method: 'PUT',
    path: () => '/songs/m-public/audio',
    form: (f) => fileForm(f.fx.mp3),
    expect: OWNER_OR_ADMIN,
  },
  {
    op: 'uploadSongAudio (private)',
    method: 'PUT',
    path: () => '/songs/m-private/audio',
    form: (f) => fileForm(f.fx.mp3),
    expect: { anonymous: 401, listener: 403, owner: 'ok', other: 404, admin: 'ok' },
  },
  {
    op: 'getSongAudio (public)',
    method: 'GET',
    path: () => '/songs/m-public/audio',
    expect: PUBLIC,
  },
  {
    op: 'getSongAudio (private)',
    method: 'GET',
    path: () => '/songs/m-private/audio',
    expect: OWNER_SEES,
  },
  {
    op: 'streamSong (public)',
    method: 'GET',
    path: () => '/songs/m-public/stream',
    expect: SIGNED_IN,
  },
  {
    op: 'streamSong (private)',
    method: 'GET',
    path: () => '/songs/m-private/stream',
    expect: SIGNED_IN_OWNER_SEES,
  },
  {
    op: 'uploadAlbumCover',
    method: 'PUT',
    path: () => '/albums/al-m-public/cover',
    form: (f) => fileForm(f.fx.png),
    expect: OWNER_OR_ADMIN,
  },
  { op: 'getAlbumCover', method: 'GET', path: () => '/albums/al-m-public/cover', expect: PUBLIC },
  {
    op: 'uploadAvatar',
    method: 'PUT',
    path: () => '/me/avatar',
    form: (f) => fileForm(f.fx.jpeg),
    expect: SIGNED_IN,
  },
  { op: 'getAvatar', method: 'GET', path: (f) => `/users/${f.ids.owner}/avatar`, expect: PUBLIC },
  { op: 'listPlans', method: 'GET', path: () => '/billing/plans', expect: PUBLIC },
  {
    op: 'getMySubscription',
    method: 'GET',
    path: () => '/billing/subscription',
    expect: SIGNED_IN,
  },
  {
    op: 'startCheckout',
    method: 'POST',
    path: () => '/billing/checkout',
    json: { planId: 'individual' },
    expect: { anonymous: 401, listener: 409, owner: 409, other: 'ok', admin: 'ok' },
  },
  {
    op: 'cancelSubscription',
    method: 'POST',
    path: () => '/billing/subscription/cancel',
    json: {},
    expect: SUBSCRIPTION_OWNER,
  },
  {
    op: 'resumeSubscription',
    method: 'POST',
    path: () => '/billing/subscription/resume',
    json: {},
    expect: SUBSCRIPTION_OWNER,
  },
  {
    op: 'addMember',
    method: 'PUT',
    path: (f) => `/billing/members/${f.ids.other}`,
    expect: SUBSCRIPTION_OWNER,
  },
  {
    op: 'removeMember',
    method: 'DELETE',
    path: (f) => `/billing/members/${f.ids.other}`,
    expect: SUBSCRIPTION_OWNER,
  },
  {
    op: 'getStudentVerification',
    method: 'GET',
    path: () => '/billing/student-verification',
    expect: SIGNED_IN,
  },
  // This server trusts no verifier (no STUDENT_VERIFIER_SECRET): nobody can redeem a proof.
  {
    op: 'verifyStudent',
    method: 'POST',
    path: () => '/billing/student-verification',
    json: { proof: 'not-a-real-proof' },
    expect: { anonymous: 401, listener: 409, owner: 409, other: 409, admin: 409 },
  },
  // Stripe's own call: a bearer token changes nothing, an unsigned body is refused for everyone.
  {
    op: 'stripeWebhook',
    method: 'POST',
    path: () => '/billing/webhook',
    json: { id: 'evt_unsigned' },
    expect: { anonymous: 400, listener: 400, owner: 400, other: 400, admin: 400 },
  },
];

describe('media and billing authorization matrix (every route × role × owner or not)', () => {
  let t: TestServer;
  let stripeMock: StripeMockServer;
  let api: ApiClient;
  const tokens = new Map<Role, string | null>();
  let fixture: Fixture;

  beforeAll(async () => {
    const fx = await makeMediaFixtures();
    stripeMock = await startStripeMock({
      prices: [FAKE.STRIPE_PRICE_FAMILY, FAKE.STRIPE_PRICE_INDIVIDUAL],
    });
    t = await startTestServer('pglite', {
      ...FAKE,
      STRIPE_API_URL: stripeMock.url,
      API_ADMIN_EMAILS: 'media-admin@example.test',
      API_RATE_LIMIT_PER_MINUTE: '100000',
      API_LOGIN_ATTEMPTS_PER_15_MINUTES: '1000',
    });
    api = new ApiClient(t.url);
    const ids: Record<Role, string | null> = {
      anonymous: null,
      listener: null,
      owner: null,
      other: null,
      admin: null,
    };
    tokens.set('anonymous', null);
    for (const role of ['listener', 'owner', 'other'] as const) {
      const account = await registerAndLogin(api, role);
      tokens.set(role, account.token);
      ids[role] = account.id;
    }
    const password = 'fake-Admin-phrase-3';
    const admin = await api.post('/auth/register', {
      email: 'media-admin@example.test',
      password,
      displayName: 'Admin',
    });
    ids.admin = admin.body.id;
    tokens.set(
      'admin',
      (await api.post('/auth/login', { email: 'media-admin@example.test', password })).body.token,
    );
    await makeArtist(t.server, ids.owner ?? '', 'ar-m-owner');
    await makeArtist(t.server, ids.other ?? '', 'ar-m-other');
    await addSong(t.server, 'm-public', 'ar-m-owner');
    await addSong(t.server, 'm-private', 'ar-m-owner', 'private');
    fixture = { ids, fx };
    // Audio and a cover to read, an avatar for the owner.
    const owner = tokens.get('owner') ?? '';
    for (const [path, form] of [
      ['/songs/m-public/audio', fileForm(fx.mp3)],
      ['/songs/m-private/audio', fileForm(fx.mp3)],
      ['/albums/al-m-public/cover', fileForm(fx.png)],
      ['/me/avatar', fileForm(fx.png)],
    ] as const) {
      const res = await fetch(`${t.url}/api/v1${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${owner}` },
        body: form,
      });
      expect(res.status).toBe(200);
    }
    // The owner pays for Family; the listener is a member of it.
    const ownerClient = api.as(owner);
    const checkout = await ownerClient.post('/billing/checkout', { planId: 'family' });
    const signer = new Stripe(FAKE.STRIPE_SECRET_KEY);
    for (const event of stripeMock.controls.completeCheckout(checkout.body.sessionId).events) {
      const payload = JSON.stringify(event);
      const header = signer.webhooks.generateTestHeaderString({
        payload,
        secret: FAKE.STRIPE_WEBHOOK_SECRET,
      });
      expect(
        (await api.request('POST', '/billing/webhook', event, { 'stripe-signature': header }))
          .status,
      ).toBe(200);
    }
    expect((await ownerClient.put(`/billing/members/${ids.listener}`)).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await stripeMock?.close();
  });

  it.each(CASES.map((c) => [c.op, c] as const))('%s', async (_name, c) => {
    const got: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const role of ROLES) {
      const token = tokens.get(role) ?? null;
      let status: number;
      let code: unknown;
      if (c.form !== undefined) {
        const res = await fetch(`${t.url}/api/v1${c.path(fixture)}`, {
          method: c.method,
          headers: token === null ? {} : { authorization: `Bearer ${token}` },
          body: c.form(fixture),
        });
        status = res.status;
        const text = await res.text();
        code = status >= 400 ? JSON.parse(text).code : undefined;
      } else if (
        c.op.startsWith('streamSong') ||
        c.op.startsWith('getAlbumCover') ||
        c.op.startsWith('getAvatar')
      ) {
        const res = await fetch(`${t.url}/api/v1${c.path(fixture)}`, {
          headers: token === null ? {} : { authorization: `Bearer ${token}` },
        });
        status = res.status;
        const body = await res.text();
        code = status >= 400 ? JSON.parse(body).code : undefined;
      } else {
        const res = await api.as(token).request(c.method, c.path(fixture), c.json);
        status = res.status;
        code = res.body?.code;
      }
      got[role] = status >= 200 && status < 300 ? -1 : status;
      want[role] = c.expect[role] === 'ok' ? -1 : (c.expect[role] as number);
      if (status >= 400) expect(code).toBeTypeOf('string');
    }
    expect(got).toEqual(want);
  });

  it('covers every Media and Billing operation of the OpenAPI document', async () => {
    const doc = (await api.document()) as unknown as {
      paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
    };
    const operations = Object.values(doc.paths)
      .flatMap((item) => Object.values(item))
      .filter((op) => op.tags[0] === 'Media' || op.tags[0] === 'Billing')
      .map((op) => op.operationId);
    const covered = new Set(CASES.map((c) => c.op.split(' ')[0]));
    expect(operations.length).toBeGreaterThan(10);
    expect(operations.filter((id) => !covered.has(id))).toEqual([]);
  });
});
