import type session from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/storage/database.js';
import { KyselySessionStore } from '../src/storage/session-store.js';
import { createUserRepository } from '../src/storage/users.js';

const MINUTE = 60_000;
let database: Database;

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite', dataDir: undefined });
}, 120_000);

afterAll(async () => {
  await database?.close();
});

const call = (fn: (done: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

const data = (expires: number, userId = 'u1') =>
  ({ cookie: { expires: new Date(expires), originalMaxAge: null }, userId }) as session.SessionData;

async function storedExpiry(sid: string): Promise<number> {
  const row = await database.db
    .selectFrom('spoti_server_sessions')
    .select('expires_at')
    .where('sid', '=', sid)
    .executeTakeFirstOrThrow();
  return Number(row.expires_at);
}

describe('KyselySessionStore.touch', () => {
  it('writes an unchanged session’s expiry only once it has moved by a minute', async () => {
    let now = Date.UTC(2026, 11, 6);
    const store = new KyselySessionStore(database.db, () => now);
    const day = 86_400_000;
    await call((done) => store.set('s1', data(now + day), done));
    expect(await storedExpiry('s1')).toBe(now + day);
    // A page view 30 s later: nothing written.
    now += MINUTE / 2;
    await call((done) => store.touch('s1', data(now + day), done));
    expect(await storedExpiry('s1')).toBe(now - MINUTE / 2 + day);
    // Two minutes after the last write: the expiry moves, the data stays.
    now += 2 * MINUTE;
    await call((done) => store.touch('s1', data(now + day, 'someone-else'), done));
    expect(await storedExpiry('s1')).toBe(now + day);
    const loaded = await new Promise<session.SessionData | null | undefined>((resolve, reject) =>
      store.get('s1', (err, s) => (err ? reject(err) : resolve(s))),
    );
    expect(loaded?.userId).toBe('u1');
    // Another process (no memory of the session) writes the expiry at its first touch.
    const other = new KyselySessionStore(database.db, () => now);
    await call((done) => other.touch('s1', data(now + day + 1000), done));
    expect(await storedExpiry('s1')).toBe(now + day + 1000);
  });
});

describe('KyselySessionStore.takeUser', () => {
  it("hands the user row the session read brought, once, and only for the session's user", async () => {
    const now = Date.UTC(2026, 11, 6);
    const store = new KyselySessionStore(database.db, () => now);
    const users = createUserRepository(database.db);
    const user = await users.upsertFromSpotify({
      spotifyId: 'listener-1',
      displayName: 'Ada',
      timeZone: 'Europe/Paris',
      now,
    });
    const get = (sid: string) =>
      new Promise<session.SessionData | null | undefined>((resolve, reject) =>
        store.get(sid, (err, s) => (err ? reject(err) : resolve(s))),
      );
    await call((done) => store.set('s2', data(now + MINUTE, user.id), done));
    // Nothing before a read.
    expect(store.takeUser('s2', user.id)).toBeUndefined();
    expect((await get('s2'))?.userId).toBe(user.id);
    expect(store.takeUser('s2', 'another-user')).toBeUndefined();
    // A read again, after the user changed: the row is the one read now, given once.
    await users.updateSettings(user.id, { timeZone: 'Asia/Tokyo', email: null, now });
    await get('s2');
    expect(store.takeUser('s2', user.id)).toEqual({ ...user, timeZone: 'Asia/Tokyo' });
    expect(store.takeUser('s2', user.id)).toBeUndefined();
    // A session without a user, or none at all, brings nothing.
    await call((done) => store.set('s3', { cookie: data(now + MINUTE).cookie }, done));
    await get('s3');
    await get('missing');
    expect(store.takeUser('s3', user.id)).toBeUndefined();
  });
});
