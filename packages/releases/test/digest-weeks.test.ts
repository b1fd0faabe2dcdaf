import { type MockServer, createWorld } from '@spoti/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ReleaseWatcher,
  createMemoryReleaseStore,
  createReleaseWatcher,
  createSmtpMailer,
} from '../src/index.js';
import { DAY, clientFor, expectedGroups, groupOf, isoDate, mockWith } from './helpers.js';
import {
  type Received,
  type SmtpPeer,
  htmlLinks,
  startSmtpPeer,
  textLinks,
  tokenOf,
} from './smtp-peer.js';

const from = 'releases@example.com';
const unsubscribe = {
  secret: 'a-test-secret-of-32-characters!!',
  baseUrl: 'https://example.com/releases/unsubscribe',
};
const confirmation = {
  secret: 'another-test-secret-32-chars!!!!',
  baseUrl: 'https://example.com/releases/confirm',
};

/** Album ids a digest mail links to (Spotify links of the text part; the HTML has the same). */
function albumIdsOf(received: Received): string[] {
  const text = textLinks(received.mail.text);
  expect(text).toEqual(htmlLinks(received.mail.html));
  return text.flatMap((link) => {
    const match = /^https:\/\/open\.spotify\.com\/album\/([A-Za-z0-9]+)$/.exec(link);
    return match?.[1] === undefined ? [] : [match[1]];
  });
}

/** `periodTo` of a digest mail, from its Message-ID (`<userId_periodTo@domain>`). */
function periodOf(received: Received): number {
  return Number(/_(\d+)@/.exec(received.messageId)?.[1]);
}

describe('digests over eight simulated weeks', () => {
  let mock: MockServer;
  let peer: SmtpPeer;
  beforeAll(async () => {
    const world = createWorld({ seed: 11, size: 'tiny', users: 4, artists: 80, historyDays: 5 });
    for (const user of world.users.values()) {
      const keep = [...user.followedArtists].slice(0, 5);
      user.followedArtists.clear();
      for (const [id, at] of keep) user.followedArtists.set(id, at);
    }
    mock = await mockWith({ world });
    peer = await startSmtpPeer();
  }, 120_000);
  afterAll(async () => {
    await peer?.down();
    await mock?.close();
  });

  it('mails every confirmed subscriber each new release of the artists they follow exactly once', async () => {
    const { controls, world } = mock;
    const users = [...world.users.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const followedBy = new Map(users.map((u) => [u.id, [...u.followedArtists.keys()].sort()]));
    const followedByAnyone = new Set([...followedBy.values()].flat());
    const strangers = [...world.artists.keys()].filter((id) => !followedByAnyone.has(id)).sort();
    const followed = [...followedByAnyone].sort();
    const start = controls.clock.now();

    // Before anyone subscribes: a release 20 days old (in the first mail) and one 35 days old
    // (older than the first mail's 4 weeks) for each listener's first artist.
    for (const user of users) {
      const artistId = followedBy.get(user.id)?.[0] as string;
      controls.catalog.addRelease({
        artistId,
        type: 'album',
        releaseDate: isoDate(start - 20 * DAY),
        availableAtMs: start - 20 * DAY,
      });
      controls.catalog.addRelease({
        artistId,
        type: 'single',
        releaseDate: isoDate(start - 35 * DAY),
        availableAtMs: start - 35 * DAY,
      });
    }

    const smtp = createSmtpMailer({ transport: peer.url, sleep: async () => {} });
    const watcher: ReleaseWatcher = createReleaseWatcher({
      store: createMemoryReleaseStore(),
      client: clientFor(mock),
      clock: controls.clock,
      concurrency: 8,
    });
    // users[0] weekly, users[1] and users[2] every two weeks (users[2] unsubscribes after three
    // weeks), users[3] never confirms.
    const cadence = ['weekly', 'biweekly', 'biweekly', 'biweekly'] as const;
    for (const [i, user] of users.entries()) {
      await watcher.subscribe(
        { id: user.id, email: user.email, timeZone: user.timezone, cadence: cadence[i] },
        { mailer: smtp, from, confirmation },
      );
      await watcher.refreshSubscriberArtists(user.id, clientFor(mock, user.id));
    }
    for (const user of users.slice(0, 3)) {
      const [mail] = peer.to(user.email);
      await watcher.confirm(
        tokenOf(htmlLinks(mail?.mail.html), confirmation.baseUrl),
        confirmation.secret,
      );
    }

    let unsubscribedAt = Number.POSITIVE_INFINITY;
    const leaver = users[2];
    if (leaver === undefined) throw new Error('four users expected');
    for (let day = 0; day < 56; day++) {
      const now = controls.clock.now();
      if (day > 0) {
        // A new album or single of a followed artist every day (some with a clean edition), a
        // release of an artist nobody follows, and now and then a compilation, an old album
        // added late (new to us), and back catalogue (never reported).
        controls.catalog.addRelease({
          artistId: followed[day % followed.length] as string,
          type: day % 2 === 0 ? 'album' : 'single',
          releaseDate: isoDate(now),
          explicitAndClean: day % 3 === 0,
        });
        controls.catalog.addRelease({
          artistId: strangers[day % strangers.length] as string,
          type: 'album',
          releaseDate: isoDate(now),
        });
        if (day % 5 === 0)
          controls.catalog.addRelease({
            artistId: followed[(day * 7) % followed.length] as string,
            type: 'compilation',
            releaseDate: isoDate(now),
          });
        if (day % 9 === 0) {
          controls.catalog.addRelease({
            artistId: followed[(day * 3) % followed.length] as string,
            type: 'album',
            releaseDate: isoDate(now - 40 * DAY),
          });
          controls.catalog.addRelease({
            artistId: followed[(day * 5) % followed.length] as string,
            type: 'album',
            releaseDate: '2019',
          });
        }
      }
      const report = await watcher.sweep();
      expect(report.failures).toEqual([]);
      const run = await watcher.runDigests({ mailer: smtp, from, unsubscribe });
      expect(run.failed).toEqual([]);
      if (day === 21) {
        // One click on the List-Unsubscribe link of the last digest, twice.
        const last = peer.to(leaver.email).at(-1);
        const header = last?.mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
        const url = /<([^>]+)>/.exec(header)?.[1] ?? '';
        const token = tokenOf([url], unsubscribe.baseUrl);
        await watcher.unsubscribe(token, unsubscribe.secret);
        unsubscribedAt = (await watcher.unsubscribe(token, unsubscribe.secret)).unsubscribedAt ?? 0;
      }
      controls.clock.advance(DAY);
    }
    // Two more weeks with nothing new, so every subscriber gets a last digest.
    controls.clock.advance(14 * DAY);
    await watcher.sweep();
    await watcher.runDigests({ mailer: smtp, from, unsubscribe });
    const lastSweep = controls.clock.now();
    smtp.close();

    let total = 0;
    for (const [i, user] of users.entries()) {
      const mine = new Set(followedBy.get(user.id));
      const [confirmMail, ...digests] = peer.to(user.email);
      expect(confirmMail?.mail.subject).toBe('Confirm your new-release digest');
      if (i === 3) {
        expect(digests).toEqual([]);
        continue;
      }
      // Never one Message-ID twice, never a release twice, nothing by an artist not followed.
      expect(new Set(digests.map((d) => d.messageId)).size).toBe(digests.length);
      const albumIds = digests.flatMap(albumIdsOf);
      const groups = albumIds.map((id) => groupOf(world, id));
      expect(new Set(groups).size).toBe(groups.length);
      for (const id of albumIds)
        expect(mine.has(world.albums.get(id)?.artistIds[0] ?? '')).toBe(true);
      // The first mail right at confirmation, then one per cadence at most.
      expect(periodOf(digests[0] as Received)).toBe(start);
      const periods = digests.map(periodOf);
      const every = (cadence[i] === 'weekly' ? 7 : 14) * DAY;
      for (let k = 1; k < periods.length; k++)
        expect(((periods[k] as number) - (periods[k - 1] as number)) % every).toBe(0);
      const recorded = await watcher.store.listDigests(user.id);
      for (let k = 1; k < recorded.length; k++)
        expect(
          (recorded[k]?.periodTo ?? 0) - (recorded[k - 1]?.periodTo ?? 0),
        ).toBeGreaterThanOrEqual(every);

      if (user.id === leaver.id) {
        expect(periods.every((p) => p < unsubscribedAt)).toBe(true);
        continue;
      }
      // Ground truth: everything the mock made visible for the artists they follow, each once
      // (releases whose local release day has not started yet are still pending).
      const cursors = new Map<string, number>();
      for (const id of mine)
        cursors.set(
          id,
          (await watcher.store.getCursor(id))?.lastScannedAt ?? Number.NEGATIVE_INFINITY,
        );
      const expected = expectedGroups(
        mock,
        [...mine],
        start - 28 * DAY,
        lastSweep,
        (artistId) => cursors.get(artistId) ?? Number.NEGATIVE_INFINITY,
      );
      const pending = await watcher.pendingReleases(user.id, { now: lastSweep + 2 * DAY });
      const pendingGroups = pending.flatMap((p) => [
        ...new Set(p.release.editionIds.map((e) => groupOf(world, e))),
      ]);
      expect(new Set([...groups, ...pendingGroups])).toEqual(expected);
      expect(groups.length + pendingGroups.length).toBe(expected.size);
      total += groups.length;
    }
    // The test means something: dozens of releases went out over the weeks.
    expect(total).toBeGreaterThan(20);
  }, 300_000);
});
