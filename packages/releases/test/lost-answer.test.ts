import { createWorld, type MockServer } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Digest,
  createMemoryMailer,
  type MemoryMailer,
  type ReleaseStore,
  createMemoryReleaseStore,
  createReleaseWatcher,
} from '../src/index.js';
import { DAY, addRelease, clientFor, mockWith } from './helpers.js';

const unsubscribe = {
  secret: 'a-test-secret-of-32-characters!!',
  baseUrl: 'https://example.com/u',
};
const from = 'releases@example.com';
const LEASE = 600_000;

let mock: MockServer;
let artists: string[];
beforeAll(async () => {
  const world = createWorld({ seed: 5, size: 'tiny', users: 2, artists: 40, historyDays: 3 });
  artists = [...world.artists.keys()].sort().slice(0, 6);
  addRelease(world, {
    artistIds: [artists[0] as string],
    name: 'Friday Album',
    releaseDate: '2026-11-06',
  });
  mock = await mockWith({ world });
});
afterAll(async () => {
  await mock.close();
});

/**
 * A store whose chosen writes are applied and then report a failure (the database committed,
 * the answer was lost), once each.
 */
function losingAnswers(
  store: ReleaseStore,
  lose: { createDigest?: boolean; updateDigest?: (digest: Digest) => boolean },
): ReleaseStore {
  let createLost = lose.createDigest === true;
  let updateLost = lose.updateDigest;
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'createDigest') {
        return async (digest: Digest) => {
          await target.createDigest(digest);
          if (createLost) {
            createLost = false;
            throw new Error('connection reset after commit');
          }
        };
      }
      if (name === 'updateDigest') {
        return async (digest: Digest) => {
          await target.updateDigest(digest);
          if (updateLost?.(digest) === true) {
            updateLost = undefined;
            throw new Error('connection reset after commit');
          }
        };
      }
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function prepared(store: ReleaseStore) {
  mock.controls.reset();
  mock.controls.clock.set(Date.UTC(2026, 10, 6, 12));
  const watcher = createReleaseWatcher({
    store,
    client: clientFor(mock),
    clock: mock.controls.clock,
  });
  await watcher.upsertSubscriber({ id: 'u1', email: 'u1@example.com', displayName: 'Ada' });
  await watcher.setSubscriberArtists('u1', artists);
  await watcher.sweep();
  return watcher;
}

/** Runs the digest job a few times over two weeks, swallowing the failures a run may report. */
async function runFor(watcher: Awaited<ReturnType<typeof prepared>>, mailer: MemoryMailer) {
  for (let k = 0; k < 6; k++) {
    mock.controls.clock.advance(LEASE + 60_000);
    await watcher.sendDueDigests({ mailer, from, unsubscribe }).catch(() => undefined);
  }
  mock.controls.clock.advance(14 * DAY);
  await watcher.sendDueDigests({ mailer, from, unsubscribe });
}

describe('digest deliveries whose answer is lost', () => {
  it('a mail the server took without answering is marked sent, never sent again', async () => {
    const watcher = await prepared(createMemoryReleaseStore());
    const mailer = createMemoryMailer();
    mailer.loseAnswerNext(1);
    const first = await watcher.sendDueDigests({ mailer, from, unsubscribe });
    expect(first.failed).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    const second = await watcher.sendDueDigests({ mailer, from, unsubscribe });
    expect(second.sent.map((s) => s.digestId)).toEqual([first.failed[0]?.digestId]);
    await runFor(watcher, mailer);
    expect(mailer.sent).toHaveLength(1);
    expect((await watcher.store.listDigests('u1')).map((d) => d.status)).toEqual(['sent', 'empty']);
  });

  it('a lost answer to the "sent" store write: nothing is sent twice', async () => {
    const store = losingAnswers(createMemoryReleaseStore(), {
      updateDigest: (d) => d.status === 'sent',
    });
    const watcher = await prepared(store);
    const mailer = createMemoryMailer();
    await expect(watcher.sendDueDigests({ mailer, from, unsubscribe })).rejects.toThrow(
      /connection reset/,
    );
    await runFor(watcher, mailer);
    expect(mailer.sent).toHaveLength(1);
    expect((await watcher.store.listDigests('u1')).map((d) => d.status)).toEqual(['sent', 'empty']);
  });

  it('a lost answer to the digest creation: the digest is found again and sent once', async () => {
    const watcher = await prepared(
      losingAnswers(createMemoryReleaseStore(), { createDigest: true }),
    );
    const mailer = createMemoryMailer();
    await expect(watcher.sendDueDigests({ mailer, from, unsubscribe })).rejects.toThrow(
      /connection reset/,
    );
    await runFor(watcher, mailer);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.text).toContain('Friday Album');
    const statuses = (await watcher.store.listDigests('u1')).map((d) => d.status);
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(1);
    expect(statuses.every((s) => s === 'sent' || s === 'empty')).toBe(true);
  });
});
