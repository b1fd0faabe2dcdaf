import { describe, expect, it } from 'vitest';
import { isMockError } from '../src/server/mock-error.js';
import { createWorld } from '../src/world/create-world.js';
import { GENRE_FAMILIES, GENRES } from '../src/world/genres.js';
import { PERSONA_NAMES, PERSONAS } from '../src/world/personas.js';
import { localHour } from '../src/world/time-zone.js';
import { topOf } from '../src/world/top.js';
import type { GenreFamily, PersonaName, World, WorldPlay, WorldUser } from '../src/world/types.js';

const DAY = 86_400_000;
const ID = /^[0-9A-Za-z]{22}$/;

const firstUser = (world: World): WorldUser => world.users.values().next().value as WorldUser;
const single = (persona: PersonaName, historyDays: number, seed = 5): World =>
  createWorld({ seed, size: 'tiny', users: 1, personas: [persona], historyDays, artists: 150 });

describe('genre vocabulary', () => {
  it('has at least 150 unique genres covering every family', () => {
    expect(GENRES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(GENRES.map((g) => g.name)).size).toBe(GENRES.length);
    const families = new Set(GENRES.map((g) => g.family));
    expect([...families].sort()).toEqual([...GENRE_FAMILIES].sort());
  });

  it('gives genres audio-feature centres that fit their family', () => {
    const mean = (
      family: GenreFamily,
      key: 'energy' | 'acousticness' | 'instrumentalness' | 'danceability',
    ) => {
      const list = GENRES.filter((g) => g.family === family);
      return list.reduce((sum, g) => sum + g.features[key], 0) / list.length;
    };
    expect(mean('metal', 'energy')).toBeGreaterThan(0.85);
    expect(mean('metal', 'acousticness')).toBeLessThan(0.1);
    expect(mean('classical', 'acousticness')).toBeGreaterThan(0.85);
    expect(mean('classical', 'instrumentalness')).toBeGreaterThan(0.65);
    expect(mean('electronic', 'danceability')).toBeGreaterThan(
      mean('classical', 'danceability') + 0.3,
    );
    const dnb = GENRES.find((g) => g.name === 'drum and bass');
    expect(dnb?.features.tempo).toBeGreaterThan(160);
  });
});

describe('createWorld', () => {
  it('is deterministic from the seed', () => {
    const a = createWorld({ seed: 11, size: 'tiny' });
    const b = createWorld({ seed: 11, size: 'tiny' });
    const c = createWorld({ seed: 12, size: 'tiny' });
    expect([...a.artists.keys()]).toEqual([...b.artists.keys()]);
    expect([...a.tracks.values()].slice(0, 50)).toEqual([...b.tracks.values()].slice(0, 50));
    expect([...a.users.keys()]).toEqual([...b.users.keys()]);
    const user = firstUser(a).id;
    expect(a.playsOf(user, a.startTimeMs)).toEqual(b.playsOf(user, b.startTimeMs));
    expect([...c.artists.keys()]).not.toEqual([...a.artists.keys()]);
  });

  it('rejects invalid options with a MockError', () => {
    expect(() => createWorld({ seed: 1.5 })).toThrowError(/seed/);
    try {
      createWorld({ seed: 1, size: 'huge' as 'tiny' });
      expect.unreachable();
    } catch (error) {
      expect(isMockError(error) && error.code === 'INVALID_OPTIONS').toBe(true);
    }
  });

  const world = createWorld({ seed: 3, size: 'small' });

  it('builds a catalogue with Spotify-like ids, genres, dates and codes', () => {
    expect(world.artists.size).toBe(400);
    expect(world.tracks.size).toBeGreaterThan(5000);
    for (const artist of world.artists.values()) {
      expect(artist.id).toMatch(ID);
      expect(artist.genres.length).toBeGreaterThanOrEqual(1);
      expect(artist.genres.length).toBeLessThanOrEqual(3);
      for (const g of artist.genres) expect(GENRES.some((x) => x.name === g)).toBe(true);
    }
    const precisions = new Set<string>();
    const types = new Set<string>();
    for (const album of world.albums.values()) {
      precisions.add(album.releaseDatePrecision);
      types.add(album.albumType);
      const pattern = { day: /^\d{4}-\d{2}-\d{2}$/, month: /^\d{4}-\d{2}$/, year: /^\d{4}$/ }[
        album.releaseDatePrecision
      ];
      expect(album.releaseDate).toMatch(pattern);
      expect(new Date(album.releasedAtMs).toISOString().startsWith(album.releaseDate)).toBe(true);
      expect(album.upc).toMatch(/^\d{12}$/);
      expect(album.explicit).toBe(album.trackIds.some((t) => world.tracks.get(t)?.explicit));
    }
    expect([...precisions].sort()).toEqual(['day', 'month', 'year']);
    expect([...types].sort()).toEqual(['album', 'compilation', 'single']);
    for (const track of [...world.tracks.values()].slice(0, 500)) {
      expect(track.isrc).toMatch(/^[A-Z]{2}[0-9A-Z]{3}\d{7}$/);
      expect(world.albums.get(track.albumId)?.trackIds).toContain(track.id);
      expect(track.durationMs).toBeGreaterThan(30_000);
    }
  });

  it('draws track features around the genre centres', () => {
    const energy: Record<string, number[]> = { metal: [], classical: [] };
    for (const track of world.tracks.values()) {
      const artist = world.artists.get(track.artistIds[0] as string);
      const family = GENRES.find((g) => g.name === artist?.genres[0])?.family;
      if (family === 'metal' || family === 'classical') energy[family]?.push(track.features.energy);
    }
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(avg(energy.metal as number[])).toBeGreaterThan(avg(energy.classical as number[]) + 0.5);
  });

  it('links editions: market editions and clean versions share a release group', () => {
    let clean = 0;
    let markets = 0;
    const groups = new Map<string, string[]>();
    for (const album of world.albums.values())
      groups.set(album.releaseGroupId, [...(groups.get(album.releaseGroupId) ?? []), album.id]);
    for (const album of world.albums.values()) {
      if (album.cleanVersionOf !== undefined) {
        clean++;
        const original = world.albums.get(album.cleanVersionOf);
        expect(original?.explicit).toBe(true);
        expect(original?.releaseGroupId).toBe(album.releaseGroupId);
        expect(album.explicit).toBe(false);
        expect(album.trackIds.length).toBe(original?.trackIds.length);
        original?.trackIds.forEach((t, i) => {
          const a = world.tracks.get(t);
          const b = world.tracks.get(album.trackIds[i] as string);
          expect(b?.name).toBe(a?.name);
          if (a?.explicit) expect(b?.isrc).not.toBe(a.isrc);
          else expect(b?.isrc).toBe(a?.isrc);
        });
      }
    }
    for (const ids of groups.values()) {
      const editions = ids
        .map((id) => world.albums.get(id))
        .filter((a) => a?.cleanVersionOf === undefined);
      if (editions.length > 1) {
        markets++;
        const [a, b] = editions;
        expect(a?.markets.some((m) => b?.markets.includes(m))).toBe(false);
        expect(world.tracks.get(b?.trackIds[0] as string)?.isrc).toBe(
          world.tracks.get(a?.trackIds[0] as string)?.isrc,
        );
      }
    }
    expect(clean).toBeGreaterThan(5);
    expect(markets).toBeGreaterThan(5);
  });

  it('has future releases that appear as time moves, some by followed artists', () => {
    const future = [...world.albums.values()].filter((a) => a.releasedAtMs > world.startTimeMs);
    expect(future.length).toBeGreaterThan(5);
    for (const album of future) {
      expect(album.releasedAtMs).toBeLessThanOrEqual(world.startTimeMs + 121 * DAY);
      expect(world.isReleased(album.id, world.startTimeMs)).toBe(false);
      expect(world.isReleased(album.id, album.releasedAtMs)).toBe(true);
      expect(world.albumsOfArtist(album.artistIds[0] as string)).toContain(album.id);
    }
    const followedWithFuture = [...world.users.values()].filter((u) =>
      future.some((a) => u.followedArtists.has(a.artistIds[0] as string)),
    );
    expect(followedWithFuture.length).toBe(world.users.size);
  });

  it('gives users personas in turn, libraries, playlists and an editorial playlist', () => {
    const users = [...world.users.values()];
    expect(users.map((u) => u.persona)).toEqual(
      users.map((_, i) => PERSONA_NAMES[i % PERSONA_NAMES.length]),
    );
    for (const user of users) {
      expect(PERSONAS[user.persona].timezones).toContain(user.timezone);
      expect(user.savedTracks.size).toBeGreaterThan(10);
      for (const [trackId, at] of user.savedTracks) {
        const album = world.albums.get(world.tracks.get(trackId)?.albumId as string);
        expect(at).toBeLessThanOrEqual(world.startTimeMs);
        expect(at).toBeGreaterThanOrEqual(album?.releasedAtMs ?? Number.NaN);
      }
      expect(user.savedAlbums.size).toBeGreaterThan(0);
      expect(user.followedArtists.size).toBeGreaterThan(10);
      const playlists = user.playlistIds.map((id) => world.playlists.get(id));
      expect(playlists.filter((p) => p?.ownerId === user.id).length).toBeGreaterThanOrEqual(2);
      const editorial = playlists.filter((p) => p?.editorial);
      expect(editorial.length).toBe(1);
      expect(editorial[0]?.ownerId).toBe('spotify');
    }
  });
});

describe('listening histories', () => {
  /** Consistency rules every play obeys; returns the plays that break one (with the rule). */
  const checkPlays = (world: World, plays: readonly WorldPlay[]) => {
    const broken: { rule: string; play: WorldPlay }[] = [];
    const check = (ok: boolean, rule: string, play: WorldPlay) => {
      if (!ok) broken.push({ rule, play });
    };
    let previousEnd = 0;
    const offlineSeconds = new Set<number>();
    for (const play of plays) {
      const track = world.tracks.get(play.trackId);
      if (track === undefined) {
        check(false, 'known track', play);
        continue;
      }
      check(world.isReleased(track.albumId, play.endedAtMs), 'released', play);
      check(play.endedAtMs - play.msPlayed >= previousEnd, 'no overlap', play);
      check(play.msPlayed <= track.durationMs, 'not longer than the track', play);
      const skipEnd = play.reasonEnd === 'fwdbtn' || play.reasonEnd === 'backbtn';
      check(play.skipped === skipEnd, 'skipped iff ended by fwd/back', play);
      if (play.skipped) check(play.msPlayed < 30_000, 'skips are short', play);
      if (play.reasonEnd === 'trackdone')
        check(play.msPlayed === track.durationMs, 'trackdone plays to the end', play);
      check(
        play.offlineTimestampMs === (play.offline ? play.endedAtMs - play.msPlayed : 0),
        'offline timestamp',
        play,
      );
      if (play.offline) {
        // The dedupe key of offline plays is their start second: it must be unique.
        const second = Math.floor(play.offlineTimestampMs / 1000);
        check(!offlineSeconds.has(second), 'offline plays start in distinct seconds', play);
        offlineSeconds.add(second);
      }
      previousEnd = play.endedAtMs;
    }
    expect(broken.slice(0, 5)).toEqual([]);
  };

  it('night owls listen at night in their time zone, mostly metal', () => {
    const world = single('night-owl', 90);
    const user = firstUser(world);
    const plays = world.playsOf(user.id, world.startTimeMs);
    expect(plays.length).toBeGreaterThan(90 * 40);
    checkPlays(world, plays);
    const night = plays.filter((p) => {
      const h = localHour(user.timezone, p.endedAtMs);
      return h >= 20 || h < 5;
    });
    expect(night.length / plays.length).toBeGreaterThan(0.8);
    const metal = plays.filter((p) => {
      const genre = world.artists.get(world.tracks.get(p.trackId)?.artistIds[0] as string)
        ?.genres[0];
      return GENRES.find((g) => g.name === genre)?.family === 'metal';
    });
    expect(metal.length / plays.length).toBeGreaterThan(0.5);
    const skips = plays.filter((p) => p.skipped).length / plays.length;
    expect(skips).toBeGreaterThan(0.05);
    expect(skips).toBeLessThan(0.4);
    expect(plays.some((p) => p.offline)).toBe(true);
    expect(plays.some((p) => p.shuffle)).toBe(true);
  });

  it('morning listeners play in the morning, commuters on weekdays and offline', () => {
    const morning = single('morning-acoustic', 60);
    const mu = firstUser(morning);
    const mp = morning.playsOf(mu.id, morning.startTimeMs);
    const early = mp.filter((p) => {
      const h = localHour(mu.timezone, p.endedAtMs);
      return h >= 5 && h < 11;
    });
    expect(early.length / mp.length).toBeGreaterThan(0.6);

    const commuter = single('jazz-commuter', 84);
    const cu = firstUser(commuter);
    const cp = commuter.playsOf(cu.id, commuter.startTimeMs);
    checkPlays(commuter, cp);
    const weekday = cp.filter((p) => {
      const local = new Date(
        p.endedAtMs +
          (localHour(cu.timezone, p.endedAtMs) - new Date(p.endedAtMs).getUTCHours()) * 3_600_000,
      );
      const dow = local.getUTCDay();
      return dow >= 1 && dow <= 5;
    });
    // 5 of 7 days are weekdays; commuters play far more than 5/7 of their music on them.
    expect(weekday.length / cp.length).toBeGreaterThan(0.8);
    expect(cp.filter((p) => p.offline).length / cp.length).toBeGreaterThan(0.15);
  });

  it('raises the listening rate with activity, keeping the persona', () => {
    const base = single('jazz-commuter', 56);
    const busy = createWorld({
      seed: 5,
      size: 'tiny',
      users: 1,
      personas: ['jazz-commuter'],
      historyDays: 56,
      artists: 150,
      activity: 2.5,
    });
    const user = firstUser(base).id;
    const normal = base.playsOf(user, base.startTimeMs);
    const more = busy.playsOf(user, busy.startTimeMs);
    checkPlays(busy, more);
    expect(more.length / normal.length).toBeGreaterThan(2);
    expect(more.filter((p) => p.offline).length / more.length).toBeGreaterThan(0.15);
    expect(() => createWorld({ seed: 1, activity: 0 })).toThrowError(/activity/);
  });

  it('extends the history as time moves and never rewrites it', () => {
    const world = single('heavy-pop', 20);
    const user = firstUser(world).id;
    const before = world.playsOf(user, world.startTimeMs);
    const later = world.playsOf(user, world.startTimeMs + 3 * DAY);
    expect(later.length).toBeGreaterThan(before.length);
    expect(later.slice(0, before.length)).toEqual(before);
    // A fresh world asked for the later instant first gives the same plays.
    const fresh = single('heavy-pop', 20);
    expect(fresh.playsOf(user, world.startTimeMs + 3 * DAY)).toEqual(later);
    expect(fresh.playsOf(user, world.startTimeMs)).toEqual(before);
    // Every play is at or before the asked instant.
    const mid = world.startTimeMs + 1.5 * DAY;
    const partial = world.playsOf(user, mid);
    expect(partial.every((p) => p.endedAtMs <= mid)).toBe(true);
    expect(later.filter((p) => p.endedAtMs <= mid)).toEqual(partial);
    // streamPlays yields the same plays for a range.
    const from = world.startTimeMs - 5 * DAY;
    const streamed = [...world.streamPlays(user, from, mid)];
    expect(streamed).toEqual(partial.filter((p) => p.endedAtMs >= from));
  });

  it('lets taste drift over the years while keeping favourites for a while', () => {
    const world = single('eclectic-explorer', 1100, 9);
    const user = firstUser(world).id;
    const artistsIn = (from: number, to: number) => {
      const counts = new Map<string, number>();
      for (const p of world.streamPlays(user, from, to)) {
        const a = world.tracks.get(p.trackId)?.artistIds[0] as string;
        counts.set(a, (counts.get(a) ?? 0) + 1);
      }
      return new Set(
        [...counts]
          .sort((x, y) => y[1] - x[1])
          .slice(0, 10)
          .map(([a]) => a),
      );
    };
    const start = world.startTimeMs;
    const old = artistsIn(start - 1090 * DAY, start - 1000 * DAY);
    const oldNext = artistsIn(start - 990 * DAY, start - 900 * DAY);
    const recent = artistsIn(start - 90 * DAY, start);
    const overlap = (a: Set<string>, b: Set<string>) => [...a].filter((x) => b.has(x)).length;
    expect(overlap(old, recent)).toBeLessThan(overlap(old, oldNext));
    expect(overlap(old, oldNext)).toBeGreaterThan(2);
  });

  it('ranks top artists and tracks per time range from the history', () => {
    const world = single('night-owl', 400);
    const user = firstUser(world).id;
    const now = world.startTimeMs;
    const short = topOf(world, user, now, 'short_term');
    const long = topOf(world, user, now, 'long_term');
    expect(short.artistIds.length).toBeGreaterThan(5);
    expect(short.trackIds.length).toBeGreaterThan(5);
    expect(short.artistIds).not.toEqual(long.artistIds);
    // The short-term top artist is among the most played artists of the last four weeks.
    const counts = new Map<string, number>();
    for (const p of world.streamPlays(user, now - 28 * DAY, now)) {
      if (p.skipped || p.msPlayed < 30_000) continue;
      const a = world.tracks.get(p.trackId)?.artistIds[0] as string;
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([a]) => a);
    expect(ranked.slice(0, 3)).toContain(short.artistIds[0]);
    expect(topOf(world, user, now, 'short_term')).toBe(short);
    expect(topOf(createWorld({ seed: 5, size: 'tiny' }), 'nobody', now, 'short_term')).toEqual({
      artistIds: [],
      trackIds: [],
    });
  });
});
