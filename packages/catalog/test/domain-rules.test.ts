import { describe, expect, it } from 'vitest';
import {
  type Subscription,
  addMember,
  boundedEditDistance,
  can,
  entitlementsFor,
  studentVerifiedAt,
  isCatalogError,
  normalizeText,
  playbackSettings,
  recommend,
  releaseDateStart,
  removeMember,
  setExplicitFilter,
  termMatch,
} from '../src/index.js';

const T = Date.UTC(2026, 5, 1);
const sub = (extra: Partial<Subscription> = {}): Subscription => ({
  id: 's',
  planId: 'family',
  ownerUserId: 'owner',
  memberUserIds: ['owner', 'kid'],
  status: 'active',
  startedAt: T - 1000,
  endsAt: null,
  studentVerification: 'none',
  explicitFilteredUserIds: ['kid'],
  ...extra,
});

describe('text normalisation and typo tolerance', () => {
  it('folds accents, case and punctuation', () => {
    expect(normalizeText('  Beyoncé – HALO!! ')).toBe('beyonce halo');
    expect(normalizeText('Motörhead / Sigur Rós / Straße / Øresund')).toBe(
      'motorhead sigur ros strasse oresund',
    );
  });
  it('bounds edit distance and grades matches', () => {
    expect(boundedEditDistance('kitten', 'sitting', 3)).toBe(3);
    expect(boundedEditDistance('abcd', 'abdc', 1)).toBe(1);
    expect(boundedEditDistance('abc', 'xyzabc', 1)).toBe(2);
    expect(termMatch('queen', 'queen')).toBe(1);
    expect(termMatch('que', 'queen')).toBe(0.8);
    expect(termMatch('qeen', 'queen')).toBe(0.6);
    expect(termMatch('abc', 'abd')).toBe(0);
  });
  it('compares release dates by their start, whatever the precision', () => {
    expect(releaseDateStart('1981')).toBe(Date.UTC(1981, 0, 1));
    expect(releaseDateStart('1981-12')).toBe(Date.UTC(1981, 11, 1));
    expect(releaseDateStart('1981-12-15')).toBe(Date.UTC(1981, 11, 15));
  });
});

describe('recommend', () => {
  const tr = (id: string, artist: string, genres: string[], plays = 0) => ({
    id,
    name: id,
    artistIds: [artist],
    genres,
    explicit: false,
    plays,
  });
  it('prefers the listened artist, explains itself and caps each artist', () => {
    const recs = recommend(
      {
        history: [{ track: tr('h1', 'A', ['rock']), count: 5 }],
        likedTrackIds: [],
        favouriteGenres: [],
        candidates: [
          tr('h1', 'A', ['rock']),
          tr('c1', 'A', ['rock'], 1),
          tr('c2', 'A', ['rock'], 9),
          tr('c3', 'B', ['rock']),
          tr('c4', 'C', ['jazz'], 100),
        ],
        artistNames: new Map([['A', 'Alpha']]),
      },
      { maxPerArtist: 1 },
    );
    expect(recs.map((r) => r.trackId)).toEqual(['c2', 'c3']);
    expect(recs[0]?.reasons.map((r) => r.type)).toEqual(['artist', 'genre', 'popular']);
    expect(recs[0]?.reasons[0]?.text).toBe('Because you listen to Alpha');
    expect(recs[1]?.reasons[0]).toMatchObject({ type: 'genre', ref: 'rock' });
  });
});

describe('plans and entitlements', () => {
  it('gives Free without a subscription', () => {
    expect(entitlementsFor({ subscription: null, userId: 'u', now: T })).toMatchObject({
      effectivePlan: 'free',
      audioQualitiesKbps: [96, 160],
      ads: true,
      skipsPerHour: 6,
      offlineDownloads: false,
    });
  });
  it('applies Family parental controls and member management', () => {
    const kid = entitlementsFor({ subscription: sub(), userId: 'kid', now: T });
    expect(kid).toMatchObject({
      effectivePlan: 'family',
      explicitContentBlocked: true,
      canManageMembers: false,
      audioQualitiesKbps: [96, 160, 320],
    });
    expect(entitlementsFor({ subscription: sub(), userId: 'owner', now: T })).toMatchObject({
      canManageMembers: true,
      explicitContentBlocked: false,
      skipsPerHour: null,
    });
    expect(
      entitlementsFor({ subscription: sub(), userId: 'stranger', now: T }).downgradeReason,
    ).toBe('not-a-member');
  });
  it('downgrades expired, inactive and unverified student subscriptions', () => {
    expect(
      entitlementsFor({ subscription: sub({ endsAt: T }), userId: 'owner', now: T })
        .downgradeReason,
    ).toBe('expired');
    expect(
      entitlementsFor({ subscription: sub({ status: 'past_due' }), userId: 'owner', now: T })
        .effectivePlan,
    ).toBe('free');
    const student = sub({
      planId: 'student',
      memberUserIds: ['owner'],
      studentVerification: 'pending',
    });
    expect(
      entitlementsFor({ subscription: student, userId: 'owner', now: T }).downgradeReason,
    ).toBe('unverified');
    expect(
      entitlementsFor({
        subscription: { ...student, studentVerification: 'verified' },
        userId: 'owner',
        now: T,
      }).effectivePlan,
    ).toBe('student');
  });
  it('downgrades a Student plan when its verification lapses, and restores it on re-verification', () => {
    const verified = sub({
      planId: 'student',
      memberUserIds: ['owner'],
      studentVerification: 'verified',
      studentVerifiedUntil: T + 1000,
    });
    const at = (now: number, subscription = verified) =>
      entitlementsFor({ subscription, userId: 'owner', now });
    expect(at(T + 999)).toMatchObject({ effectivePlan: 'student', downgradeReason: null });
    expect(at(T + 1000)).toMatchObject({ effectivePlan: 'free', downgradeReason: 'unverified' });
    expect(at(T + 1000).skipsPerHour).toBe(6);
    const renewed = { ...verified, studentVerifiedUntil: T + 365 * 86_400_000 };
    expect(at(T + 1000, renewed).effectivePlan).toBe('student');
    expect(studentVerifiedAt({ ...verified, studentVerifiedUntil: null }, T + 10 ** 12)).toBe(true);
    expect(studentVerifiedAt({ ...verified, studentVerification: 'pending' }, T)).toBe(false);
  });
  it('limits Duo to 2 and Family to 6 members', () => {
    const duo = sub({ planId: 'duo', memberUserIds: ['owner'] });
    const full = addMember(duo, 'b');
    expect(full.memberUserIds).toEqual(['owner', 'b']);
    expect(() => addMember(full, 'c')).toThrow(/at most 2/);
    let fam = sub({ memberUserIds: ['owner'] });
    for (const m of ['a', 'b', 'c', 'd', 'e']) fam = addMember(fam, m);
    try {
      addMember(fam, 'f');
      expect.unreachable();
    } catch (e) {
      expect(isCatalogError(e) && e.code).toBe('CONFLICT');
    }
    expect(removeMember(sub(), 'kid')).toMatchObject({
      memberUserIds: ['owner'],
      explicitFilteredUserIds: [],
    });
    expect(() => removeMember(sub(), 'owner')).toThrow();
  });
});

describe('plan management and playback settings', () => {
  it('takes (subscription, now, userId?) positionally as well', () => {
    expect(entitlementsFor(sub(), T, 'kid')).toEqual(
      entitlementsFor({ subscription: sub(), userId: 'kid', now: T }),
    );
    expect(entitlementsFor(sub(), T).canManageMembers).toBe(true); // the owner by default
    expect(entitlementsFor(null, T).effectivePlan).toBe('free');
    expect(
      entitlementsFor(sub({ studentVerification: 'expired', planId: 'student' }), T),
    ).toMatchObject({ effectivePlan: 'free', downgradeReason: 'unverified' });
  });

  it('lets only the owner manage members and Family parental controls', () => {
    const fam = sub({ explicitFilteredUserIds: [] });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isCatalogError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => addMember(fam, 'x', { by: 'kid' }))).toBe('FORBIDDEN');
    expect(code(() => removeMember(fam, 'kid', { by: 'kid' }))).toBe('FORBIDDEN');
    expect(addMember(fam, 'x', { by: 'owner' }).memberUserIds).toContain('x');
    const blocked = setExplicitFilter(fam, 'kid', true, { by: 'owner' });
    expect(blocked.explicitFilteredUserIds).toEqual(['kid']);
    expect(entitlementsFor(blocked, T, 'kid').explicitContentBlocked).toBe(true);
    expect(setExplicitFilter(blocked, 'kid', true).explicitFilteredUserIds).toEqual(['kid']);
    const unblocked = setExplicitFilter(blocked, 'kid', false);
    expect(entitlementsFor(unblocked, T, 'kid').explicitContentBlocked).toBe(false);
    expect(code(() => setExplicitFilter(fam, 'kid', true, { by: 'kid' }))).toBe('FORBIDDEN');
    expect(code(() => setExplicitFilter(fam, 'stranger', true))).toBe('NOT_FOUND');
    expect(code(() => setExplicitFilter(fam, 'owner', true))).toBe('CONFLICT');
    expect(code(() => setExplicitFilter(sub({ planId: 'duo' }), 'kid', true))).toBe('CONFLICT');
    // A filter left on a subscription that is no longer Family has no effect.
    expect(entitlementsFor(sub({ planId: 'duo' }), T, 'kid').explicitContentBlocked).toBe(false);
  });

  it('caps preferred audio quality by plan and applies parental controls', () => {
    const prefs = (
      audioQuality: 'low' | 'normal' | 'high' | 'very-high',
      extra: { offlineMode?: boolean; explicitContent?: boolean } = {},
    ) => ({
      preferences: { audioQuality, offlineMode: true, explicitContent: true, ...extra },
    });
    const free = entitlementsFor(null, T);
    const premium = entitlementsFor(sub(), T, 'owner');
    const kid = entitlementsFor(sub(), T, 'kid');
    expect(playbackSettings(prefs('very-high'), free)).toEqual({
      bitrateKbps: 160,
      offline: false,
      explicitAllowed: true,
      ads: true,
    });
    expect(playbackSettings(prefs('very-high'), premium)).toMatchObject({
      bitrateKbps: 320,
      offline: true,
      ads: false,
    });
    expect(playbackSettings(prefs('normal'), premium).bitrateKbps).toBe(96);
    expect(playbackSettings(prefs('high'), premium).bitrateKbps).toBe(160);
    expect(playbackSettings(prefs('high'), kid).explicitAllowed).toBe(false);
    expect(
      playbackSettings(prefs('high', { explicitContent: false, offlineMode: false }), premium),
    ).toMatchObject({ explicitAllowed: false, offline: false });
  });
});

describe('permissions', () => {
  const artist = { role: 'artist' as const, artistId: 'a1' };
  const other = { role: 'artist' as const, artistId: 'a2' };
  const listener = { role: 'listener' as const, artistId: null };
  const pub = {
    kind: 'track' as const,
    track: { ownerArtistId: 'a1', visibility: 'public' as const },
  };
  const priv = {
    kind: 'track' as const,
    track: { ownerArtistId: 'a1', visibility: 'private' as const },
  };
  it('lets artists change only their own content and hides private tracks', () => {
    expect(can(listener, 'read', pub).allowed).toBe(true);
    expect(can(null, 'read', pub).allowed).toBe(true);
    expect(can(listener, 'read', priv)).toEqual({ allowed: false, reason: 'private-content' });
    expect(can(artist, 'read', priv)).toEqual({ allowed: true, reason: 'owner' });
    expect(can(artist, 'update', pub).allowed).toBe(true);
    expect(can(other, 'update', pub)).toEqual({ allowed: false, reason: 'not-the-owner' });
    expect(can(listener, 'create', pub)).toEqual({ allowed: false, reason: 'not-an-artist' });
    expect(can(null, 'delete', pub)).toEqual({ allowed: false, reason: 'anonymous' });
    expect(
      can(artist, 'delete', { kind: 'album', album: { artistIds: ['a1', 'a2'] } }).allowed,
    ).toBe(true);
    expect(
      can(other, 'delete', { kind: 'album', album: { artistIds: ['a1', 'a2'] } }).allowed,
    ).toBe(false);
  });
});
