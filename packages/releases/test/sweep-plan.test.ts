import { describe, expect, it } from 'vitest';
import type { ArtistCursor, Release } from '../src/index.js';
import { candidateFit } from '../src/logic/candidates.js';
import {
  callsDayKey,
  cursorAfterFailure,
  sweepCallBudget,
  sweepStop,
} from '../src/logic/sweep-plan.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 12);

describe('sweep plan', () => {
  it('counts calls per UTC day', () => {
    expect(callsDayKey(Date.UTC(2026, 11, 6, 23, 59))).toBe('calls:2026-12-06');
  });

  it('paces the budget over the sweep, capped per sweep and by the day left', () => {
    const budget = {
      allowance: 3000,
      windowMs: 30_000,
      sweepDurationMs: 60_000,
      dailyCalls: 10_000,
    };
    expect(sweepCallBudget(budget, 0)).toBe(6000);
    expect(sweepCallBudget({ ...budget, maxCallsPerSweep: 500 }, 0)).toBe(500);
    expect(sweepCallBudget(budget, 9_000)).toBe(1000);
    expect(sweepCallBudget(budget, 12_000)).toBe(0);
  });

  it('retries a failed artist at once, or after the interval when retrying cannot help', () => {
    const cursor: ArtistCursor = {
      artistId: 'a1',
      name: 'Ada',
      lastScannedAt: null,
      newestSeen: {},
      nextScanAt: 0,
      failures: 1,
      lastError: null,
    };
    const transient = cursorAfterFailure(
      cursor,
      { code: 'SERVER_ERROR', message: '502' },
      NOW,
      DAY,
    );
    expect(transient).toMatchObject({
      failures: 2,
      nextScanAt: NOW,
      lastError: { code: 'SERVER_ERROR', message: '502', at: NOW },
    });
    const gone = cursorAfterFailure(cursor, { code: 'NOT_FOUND', message: 'gone' }, NOW, DAY);
    expect(gone.nextScanAt).toBe(NOW + DAY);
  });

  it('says why a sweep stopped', () => {
    expect(sweepStop(null, 10, 10)).toBe('complete');
    expect(sweepStop(null, 8, 10)).toBe('budget');
    expect(sweepStop('rate_limited', 10, 10)).toBe('rate_limited');
  });
});

describe('digest candidates', () => {
  const release: Release = {
    id: 'r1',
    foldKey: 'a1|album|night drive',
    name: 'Night Drive',
    type: 'album',
    group: 'album',
    artists: [{ id: 'a1', name: 'Ada' }],
    releaseDate: '2026-12-04',
    releaseDatePrecision: 'day',
    imageUrl: null,
    url: 'https://open.spotify.com/album/r1',
    totalTracks: 10,
    editionIds: ['r1'],
    upcs: [],
    foundVia: ['a1'],
    discoveredAt: NOW - DAY,
  };
  const ctx = {
    subscriber: { groups: ['album', 'appears_on'] as const, timeZone: 'UTC', lastDigestAt: null },
    mine: new Set(['a1']),
    excluded: new Set<string>(),
    delivered: new Set<string>(),
    now: NOW,
    firstDigestDays: 28,
  };

  it("takes a new release of the subscriber's own artist", () => {
    expect(candidateFit(release, ctx)).toEqual({ group: 'album', own: true });
  });

  it('takes a release found via a followed artist as appears_on', () => {
    const guest = { ...release, artists: [{ id: 'z9', name: 'Zed' }] };
    expect(candidateFit(guest, ctx)).toEqual({ group: 'appears_on', own: false });
  });

  it('leaves out delivered, excluded, unwanted, future and old releases', () => {
    expect(candidateFit(release, { ...ctx, delivered: new Set(['r1']) })).toBeNull();
    expect(candidateFit(release, { ...ctx, excluded: new Set(['a1']) })).toBeNull();
    expect(
      candidateFit(release, { ...ctx, subscriber: { ...ctx.subscriber, groups: ['single'] } }),
    ).toBeNull();
    expect(candidateFit({ ...release, releaseDate: '2026-12-11' }, ctx)).toBeNull();
    expect(candidateFit({ ...release, releaseDate: '2026-09-01' }, ctx)).toBeNull();
    const since = { ...ctx, subscriber: { ...ctx.subscriber, lastDigestAt: NOW - DAY / 2 } };
    expect(candidateFit(release, since)).toBeNull();
  });
});
