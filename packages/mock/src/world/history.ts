import { type Catalog, upperBound } from './catalog.js';
import { GENRE_FAMILIES } from './genres.js';
import type { Persona } from './personas.js';
import { mixSeed, Rng } from './prng.js';
import { offsetOnDay } from './time-zone.js';
import type { GenreFamily, ReasonEnd, ReasonStart, WorldPlay, WorldTrack } from './types.js';
import { artistOfFamily, type Listener } from './users.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** A listening day runs from 05:00 to 05:00 local time, so night sessions stay in one day. */
const DAY_START_HOUR = 5;
/** Taste eras: the rotation of favourite artists moves every ERA_DAYS by ERA_STEP artists. */
const ERA_DAYS = 120;
const ERA_STEP = 3;
const WINDOW = 24;
const FIRST_REASONS: readonly ReasonStart[] = ['clickrow', 'clickrow', 'playbtn', 'appload'];

/** The UTC instant local listening day `day` (local days since the epoch) starts at. */
export function dayStartMs(timeZone: string, day: number): number {
  return day * DAY_MS + DAY_START_HOUR * HOUR_MS - offsetOnDay(timeZone, day);
}

/** The local listening day that contains instant `ms`. */
export function dayOf(timeZone: string, ms: number): number {
  let day = Math.floor((ms - DAY_START_HOUR * HOUR_MS) / DAY_MS);
  while (dayStartMs(timeZone, day + 1) <= ms) day++;
  while (dayStartMs(timeZone, day) > ms) day--;
  return day;
}

function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Start times of a day's sessions, ascending, drawn from the persona's hours. */
function sessionStarts(rng: Rng, persona: Persona, dayStart: number, sessions: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s < sessions; s++) {
    const hour = rng.weighted(persona.hours);
    starts.push(dayStart + ((hour - DAY_START_HOUR + 24) % 24) * HOUR_MS + rng.int(HOUR_MS));
  }
  return starts.sort((a, b) => a - b);
}

/**
 * How a play ends: a skip (more often for explored tracks) except for the session's last play,
 * which may end early by `endplay`, `logout` or an unexpected exit.
 */
function playEnding(
  rng: Rng,
  persona: Persona,
  explored: boolean,
  last: boolean,
  duration: number,
): { msPlayed: number; reasonEnd: ReasonEnd; skipped: boolean } {
  if (!last && rng.chance(explored ? persona.skipRate * 1.6 : persona.skipRate)) {
    const msPlayed = Math.min(800 + rng.int(28_000), duration - 1000);
    return { msPlayed, reasonEnd: rng.chance(0.85) ? 'fwdbtn' : 'backbtn', skipped: true };
  }
  let msPlayed = duration;
  let reasonEnd: ReasonEnd = 'trackdone';
  if (last) {
    const r = rng.next();
    if (r < 0.55) reasonEnd = 'endplay';
    else if (r < 0.63) reasonEnd = 'logout';
    else if (r < 0.66) reasonEnd = 'unexpected-exit';
    if (reasonEnd !== 'trackdone')
      msPlayed = Math.max(1000, Math.floor(duration * (0.15 + rng.next() * 0.85)));
  }
  return { msPlayed, reasonEnd, skipped: false };
}

/** Why a play started: as the previous one ended, or a first reason for a session's first play. */
function reasonStartAfter(
  rng: Rng,
  previousEnd: ReasonEnd | undefined,
  platform: string,
): ReasonStart {
  if (previousEnd === undefined)
    return platform === 'cast' ? 'remote' : (FIRST_REASONS[rng.int(4)] as ReasonStart);
  if (previousEnd === 'trackdone') return 'trackdone';
  return previousEnd === 'fwdbtn' ? 'fwdbtn' : 'backbtn';
}

/** Generates plays on demand for the users of one world. */
export class HistoryGenerator {
  private readonly favourites = new Map<string, readonly string[]>();

  constructor(
    private readonly seed: number,
    private readonly catalog: Catalog,
    /** Multiplier of every persona's sessions per day (see `WorldOptions.activity`). */
    private readonly activity = 1,
  ) {}

  /** The first listening day of a listener's history. */
  firstDay(listener: Listener): number {
    const day = dayOf(listener.user.timezone, listener.historyStartMs);
    return dayStartMs(listener.user.timezone, day) < listener.historyStartMs ? day + 1 : day;
  }

  private releasedTrack(rng: Rng, artistId: string, atMs: number): string | undefined {
    const own = this.catalog.listenable.get(artistId);
    if (own === undefined) return undefined;
    const n = upperBound(own.releasedAt, atMs);
    if (n === 0) return undefined;
    const a = own.trackIds[rng.int(n)] as string;
    const b = own.trackIds[rng.int(n)] as string;
    const tracks = this.catalog.tracks;
    return (
      (tracks.get(a) as WorldTrack).popularity >= (tracks.get(b) as WorldTrack).popularity ? a : b
    ) as string;
  }

  private favouritesOf(listener: Listener, era: number): readonly string[] {
    const key = `${listener.index}|${era}`;
    let list = this.favourites.get(key);
    if (list === undefined) {
      const rng = new Rng(mixSeed(this.seed, listener.index, era, 0xfa7));
      const out: string[] = [];
      const candidates = listener.candidates;
      for (let k = 0; k < 8; k++) {
        const artistId = candidates[(era * ERA_STEP + (k % 5)) % candidates.length] as string;
        const own = this.catalog.listenable.get(artistId);
        if (own !== undefined && own.trackIds.length > 0) out.push(rng.pick(own.trackIds));
      }
      list = out;
      if (this.favourites.size > 50_000) this.favourites.clear();
      this.favourites.set(key, list);
    }
    return list;
  }

  private pickTrack(
    rng: Rng,
    listener: Listener,
    era: number,
    atMs: number,
  ): { trackId: string; explored: boolean } {
    const persona = listener.persona;
    const r = rng.next();
    if (r < persona.repeatRate) {
      const favourites = this.favouritesOf(listener, era);
      if (favourites.length > 0) {
        const trackId = rng.pick(favourites);
        const album = this.catalog.albums.get(
          (this.catalog.tracks.get(trackId) as WorldTrack).albumId,
        );
        if (album !== undefined && album.releasedAtMs <= atMs) return { trackId, explored: false };
      }
    }
    const explored = r >= persona.repeatRate && r < persona.repeatRate + persona.exploreRate;
    for (let attempt = 0; attempt < 4; attempt++) {
      let artistId: string;
      if (explored) {
        const family =
          persona.name === 'eclectic-explorer'
            ? (GENRE_FAMILIES[rng.int(GENRE_FAMILIES.length)] as GenreFamily)
            : (GENRE_FAMILIES[rng.weighted(listener.familyWeights)] as GenreFamily);
        artistId = artistOfFamily(rng, this.catalog, family);
      } else {
        const candidates = listener.candidates;
        const width = Math.min(WINDOW, candidates.length);
        const rank = Math.floor(width * rng.next() ** 1.8);
        artistId = candidates[(era * ERA_STEP + rank) % candidates.length] as string;
      }
      const trackId = this.releasedTrack(rng, artistId, atMs);
      if (trackId !== undefined) return { trackId, explored };
    }
    const all = this.catalog.allListenable;
    const n = Math.max(1, upperBound(all.releasedAt, atMs));
    return { trackId: all.trackIds[rng.int(n)] as string, explored: true };
  }

  /** The plays of one listening day, ascending by end time, all within the day. Pure in (seed, user, day). */
  day(listener: Listener, day: number): WorldPlay[] {
    const { persona, user } = listener;
    const start = dayStartMs(user.timezone, day);
    const end = dayStartMs(user.timezone, day + 1);
    const plays: WorldPlay[] = [];
    if (end <= listener.historyStartMs) return plays;
    const rng = new Rng(mixSeed(this.seed, listener.index, day, 0x91a7));
    const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday; the epoch was a Thursday
    const weekend =
      persona.name === 'weekend-raver' ? dow === 5 || dow === 6 : dow === 0 || dow === 6;
    const sessions = poisson(
      rng,
      (weekend ? persona.sessionsWeekend : persona.sessionsWeekday) * this.activity,
    );
    if (sessions === 0) return plays;
    const starts = sessionStarts(rng, persona, start, sessions);
    const era = Math.floor(day / ERA_DAYS);
    const tracks = this.catalog.tracks;
    let t = start;
    for (const sessionStart of starts) {
      t = Math.max(t + 60_000, sessionStart);
      if (t >= end) break;
      const shuffle = rng.chance(persona.shuffleRate);
      const offline = rng.chance(persona.offlineRate);
      const incognito = rng.chance(0.01);
      const platform = offline ? listener.mobilePlatform : rng.pick(listener.platforms);
      const count = Math.max(1, Math.round(persona.playsPerSession * (0.3 + rng.next() * 1.4)));
      let previousEnd: ReasonEnd | undefined;
      let previousTrack: string | undefined;
      let previousStart = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < count; i++) {
        // An offline play is known by the second it started (its `offline_timestamp`): two
        // offline plays never start within the same second.
        if (offline && Math.floor(t / 1000) <= Math.floor(previousStart / 1000))
          t = (Math.floor(previousStart / 1000) + 1) * 1000;
        previousStart = t;
        const replay = previousEnd === 'backbtn' && previousTrack !== undefined;
        const pick = replay
          ? { trackId: previousTrack as string, explored: false }
          : this.pickTrack(rng, listener, era, t);
        const track = tracks.get(pick.trackId) as WorldTrack;
        const { msPlayed, reasonEnd, skipped } = playEnding(
          rng,
          persona,
          pick.explored,
          i === count - 1,
          track.durationMs,
        );
        const reasonStart = reasonStartAfter(rng, previousEnd, platform);
        const endedAtMs = t + msPlayed;
        if (endedAtMs >= end) break;
        plays.push({
          userId: user.id,
          trackId: pick.trackId,
          endedAtMs,
          msPlayed,
          reasonStart,
          reasonEnd,
          shuffle,
          skipped,
          offline,
          offlineTimestampMs: offline ? t : 0,
          platform,
          connCountry: user.country,
          incognito,
        });
        previousEnd = reasonEnd;
        previousTrack = pick.trackId;
        t = endedAtMs + rng.int(2500);
      }
    }
    return plays;
  }
}
