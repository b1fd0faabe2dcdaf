import { describe, expect, it } from 'vitest';
import {
  type Release,
  belongsTo,
  compareReleaseDates,
  createUnsubscribeToken,
  foldKey,
  formatReleaseDate,
  isReleasesError,
  localReleaseInstant,
  normaliseTitle,
  releaseDateOverlaps,
  releaseDateRange,
  renderDigest,
  verifyUnsubscribeToken,
} from '../src/index.js';

describe('release dates by precision', () => {
  it('covers the whole year or month of a coarse date', () => {
    expect(releaseDateRange('2026', 'year')).toEqual({
      start: Date.UTC(2026, 0, 1),
      end: Date.UTC(2027, 0, 1),
    });
    expect(releaseDateRange('2026-12', 'month')).toEqual({
      start: Date.UTC(2026, 11, 1),
      end: Date.UTC(2027, 0, 1),
    });
    expect(releaseDateRange('2026-02-28', 'day').end).toBe(Date.UTC(2026, 2, 1));
  });

  it('never compares as strings', () => {
    // As strings "2026" < "2026-01-09", yet a 2026 release may be the later one: not ordered.
    expect(
      compareReleaseDates(
        { date: '2026', precision: 'year' },
        { date: '2026-01-09', precision: 'day' },
      ),
    ).toBe(0);
    expect(
      compareReleaseDates(
        { date: '2025', precision: 'year' },
        { date: '2026-01-09', precision: 'day' },
      ),
    ).toBe(-1);
    expect(
      compareReleaseDates(
        { date: '2026-11', precision: 'month' },
        { date: '2026-10-31', precision: 'day' },
      ),
    ).toBe(1);
    // A year-precision release overlaps the last four weeks of its year; a month does not reach the next.
    expect(releaseDateOverlaps('2026', 'year', Date.UTC(2026, 11, 1), Date.UTC(2026, 11, 29))).toBe(
      true,
    );
    expect(
      releaseDateOverlaps('2026-10', 'month', Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 20)),
    ).toBe(false);
  });

  it('rejects a date that does not match its precision', () => {
    try {
      releaseDateRange('2026-13', 'month');
      expect.unreachable();
    } catch (error) {
      expect(isReleasesError(error) && error.code === 'INVALID_OPTIONS').toBe(true);
      expect((error as Error).message).toContain('2026-13');
    }
    expect(() => releaseDateRange('2026-11-06', 'year')).toThrow(/precision "year"/);
  });

  it('formats dates at their precision', () => {
    expect(formatReleaseDate('2026', 'year')).toBe('2026');
    expect(formatReleaseDate('2026-11', 'month')).toBe('November 2026');
    expect(formatReleaseDate('2026-11-06', 'day')).toBe('Fri, 6 Nov 2026');
  });
});

describe('Friday releases in the listener time zone', () => {
  it('is out at local midnight', () => {
    expect(localReleaseInstant('2026-11-06', 'day', 'UTC')).toBe(Date.UTC(2026, 10, 6));
    expect(localReleaseInstant('2026-11-06', 'day', 'America/Los_Angeles')).toBe(
      Date.UTC(2026, 10, 6, 8),
    );
    expect(localReleaseInstant('2026-11-06', 'day', 'Asia/Tokyo')).toBe(Date.UTC(2026, 10, 5, 15));
    // Across a DST change (Europe/Oslo: CEST until 25 Oct 2026).
    expect(localReleaseInstant('2026-10-23', 'day', 'Europe/Oslo')).toBe(Date.UTC(2026, 9, 22, 22));
    expect(localReleaseInstant('2026-10-30', 'day', 'Europe/Oslo')).toBe(Date.UTC(2026, 9, 29, 23));
  });
});

const release = (
  id: string,
  name: string,
  date: string,
  extra: Partial<Release> = {},
): Release => ({
  id,
  foldKey: foldKey({ primaryArtistId: 'a1', type: 'album', name }),
  name,
  type: 'album',
  group: 'album',
  artists: [{ id: 'a1', name: 'Artist' }],
  releaseDate: date,
  releaseDatePrecision: 'day',
  imageUrl: null,
  url: `https://open.spotify.com/album/${id}`,
  totalTracks: 9,
  editionIds: [id],
  upcs: [],
  foundVia: ['a1'],
  discoveredAt: 0,
  ...extra,
});

describe('folding editions', () => {
  it('normalises titles, dropping only edition markers', () => {
    expect(normaliseTitle('Mañana (Clean Version)')).toBe('manana');
    expect(normaliseTitle('MAÑANA [Explicit]')).toBe('manana');
    expect(normaliseTitle('Mañana - Edited')).toBe('manana');
    expect(normaliseTitle('Mañana (Japan Edition)')).toBe('manana');
    expect(normaliseTitle('Mañana (Deluxe Edition)')).toBe('manana deluxe edition');
    expect(normaliseTitle('Rock & Roll')).toBe('rock and roll');
  });

  it('folds by key within the window, by UPC, and keeps re-releases apart', () => {
    const base = release('x1', 'Night Drive', '2026-11-06', { upcs: ['123'] });
    const edition = (albumId: string, name: string, date: string, upc: string | null = null) => ({
      albumId,
      foldKey: foldKey({ primaryArtistId: 'a1', type: 'album', name }),
      releaseDate: date,
      releaseDatePrecision: 'day' as const,
      upc,
    });
    expect(belongsTo(edition('x2', 'Night Drive (Clean)', '2026-11-06'), base, 30)).toBe(true);
    expect(belongsTo(edition('x3', 'Night Drive', '2026-11-20'), base, 30)).toBe(true);
    expect(belongsTo(edition('x4', 'Night Drive', '2031-11-06'), base, 30)).toBe(false);
    expect(belongsTo(edition('x5', 'Other Name', '2026-11-06', '123'), base, 30)).toBe(true);
    expect(belongsTo(edition('x6', 'Night Drive (Deluxe)', '2026-11-06'), base, 30)).toBe(false);
  });
});

describe('unsubscribe tokens', () => {
  const secret = 'unsubscribe-secret-0123456789';
  it('round-trips and rejects forgeries', () => {
    const token = createUnsubscribeToken({ userId: 'u1', secret, issuedAt: 5 });
    expect(verifyUnsubscribeToken(token, secret)).toEqual({ userId: 'u1', issuedAt: 5 });
    expect(token).not.toContain(secret);
    const [payload, signature] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ u: 'u2', t: 5 })).toString('base64url');
    for (const bad of [
      `${other}.${signature}`,
      `${payload}.x${signature}`,
      payload,
      `${token}.x`,
      '',
    ]) {
      expect(() => verifyUnsubscribeToken(bad, secret)).toThrow(/not valid/);
    }
    expect(() => verifyUnsubscribeToken(token, 'another-secret-0123456789')).toThrow(/not valid/);
    expect(() => createUnsubscribeToken({ userId: 'u1', secret: 'short', issuedAt: 1 })).toThrow(
      /16 characters/,
    );
  });
});

describe('renderDigest', () => {
  it('groups by artist and type with dates at their precision and escapes HTML', () => {
    const entries = [
      {
        release: release('r1', 'Night <Drive>', '2026-11-06'),
        artistName: 'Zed',
        group: 'album' as const,
      },
      {
        release: release('r2', 'Early', '2026', {
          releaseDatePrecision: 'year',
          type: 'single',
          imageUrl: 'https://i.scdn.co/x.jpg',
        }),
        artistName: 'Abe',
        group: 'single' as const,
      },
    ];
    const out = renderDigest({
      recipientName: 'Ada',
      entries,
      periodFrom: Date.UTC(2026, 10, 1),
      periodTo: Date.UTC(2026, 10, 15),
      timeZone: 'UTC',
      unsubscribeUrl: 'https://example.com/u?token=t',
    });
    expect(out.subject).toBe('New releases: 2 from 2 artists you follow');
    expect(out.text.indexOf('ABE')).toBeLessThan(out.text.indexOf('ZED'));
    expect(out.text).toContain('Early (Single, 2026) by Artist');
    expect(out.text).toContain('Night <Drive> (Album, Fri, 6 Nov 2026)');
    expect(out.text).toContain('Listen: https://open.spotify.com/album/r1');
    expect(out.text).toContain('Unsubscribe: https://example.com/u?token=t');
    expect(out.html).toContain('Night &lt;Drive&gt;');
    expect(out.html).not.toContain('Night <Drive>');
    expect(out.html).toContain('<img src="https://i.scdn.co/x.jpg"');
    expect(out.html).toContain('Singles and EPs');
  });
});
