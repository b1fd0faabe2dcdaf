import { ZoneOffsets } from '@spoti/catalog';
import { badInput, type LibraryInput } from './library.js';
import { type CountJob, DAY, type LogWindow, type StatsJob } from './play-stats.js';

/** The largest instant a Date can hold (and time zones resolve), in ms either side of 1970. */
const MAX_INSTANT = 8.64e15;
/** Marks a play whose local hour has not been computed yet. */
const UNKNOWN_HOUR = 255;
/**
 * Windows of a log not in time order that are aggregated by scanning every play (a comparison per
 * play, in memory order) before the plays are bucketed by day: bucketing costs a few scans, and
 * visiting a window's plays through the buckets reads the log out of order.
 */
const SCANS_BEFORE_BUCKETS = 3;
/**
 * Plays per call of the per-play loops. A loop over the whole log in one call runs in unoptimised
 * code until on-stack replacement compiles it mid-loop, every time a fresh index meets it; called
 * once per chunk, the loop function is compiled after the first few chunks and stays compiled for
 * the next index.
 */
const CHUNK = 4096;

/** The plays grouped by UTC day: `order[starts[d]..starts[d + 1])` are the plays of day `minDay + d`. */
interface DayBuckets {
  readonly minDay: number;
  readonly starts: Int32Array;
  readonly order: Int32Array;
}

/**
 * Offsets of each time zone, shared by every index of the process: they depend only on the zone
 * and the instant, and computing a day's offset (through Intl) costs far more than a lookup.
 */
const ZONES = new Map<string, ZoneOffsets>();

function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = ZONES.get(timeZone);
  if (zone === undefined) {
    zone = new ZoneOffsets(timeZone);
    ZONES.set(timeZone, zone);
  }
  return zone;
}

/** How the play log finds the tracks, first artists and albums of its plays. */
export interface PlayLogKeys {
  readonly position: ReadonlyMap<string, number>;
  /** Number of the first artist / album of each track (-1: none). */
  readonly artistKey: Int32Array;
  readonly albumKey: Int32Array;
  readonly artistNumbers: ReadonlyMap<string, number>;
  readonly albumNumbers: ReadonlyMap<string, number>;
}

/**
 * The play log as columns, one entry per play (track number or -1, end, duration, skip flag,
 * first-artist and album numbers), resolved in one pass; per-window aggregates and local
 * hour/weekday masks are computed from it on demand.
 */
export class PlayLog {
  readonly track: Int32Array;
  readonly at: Float64Array;
  readonly ms: Float64Array;
  readonly skip: Uint8Array;
  readonly artist: Int32Array;
  readonly album: Int32Array;
  /** First and last UTC day of the log (infinite when it is empty). */
  readonly minDay: number;
  readonly maxDay: number;
  /** True when the plays are in time order: a window is then one range of the log. */
  readonly sorted: boolean;
  /** Local hour of each play (UNKNOWN_HOUR until a mask needs it) and its weekday. */
  #hour: Uint8Array | null = null;
  #weekday: Uint8Array | null = null;
  /** Offset of each day of the log (+Infinity: not looked up yet; NaN: a clock change that day). */
  #dayOffsets: Float64Array | null = null;
  /** Plays grouped by day, built on first use by a windowed aggregate (null: not worth it). */
  #days: DayBuckets | null | undefined = undefined;
  /** Windows aggregated over a log not in time order so far (the day buckets pay from a few). */
  #windowScans = 0;

  constructor(
    plays: NonNullable<LibraryInput['plays']>,
    keys: PlayLogKeys,
    readonly minPlayMs: number,
    readonly timeZone: string,
  ) {
    const m = plays.length;
    this.track = new Int32Array(m);
    this.at = new Float64Array(m);
    this.ms = new Float64Array(m);
    this.skip = new Uint8Array(m);
    this.artist = new Int32Array(m);
    this.album = new Int32Array(m);
    let minDay = Number.POSITIVE_INFINITY;
    let maxDay = Number.NEGATIVE_INFINITY;
    let sorted = true;
    for (let p = 0; p < m; p++) {
      const play = plays[p]!;
      checkPlay(play, p);
      const i = play.trackId === null ? undefined : keys.position.get(play.trackId);
      this.track[p] = i ?? -1;
      this.at[p] = play.endedAt;
      if (p > 0 && play.endedAt < this.at[p - 1]!) sorted = false;
      const day = Math.floor(play.endedAt / DAY);
      if (day < minDay) minDay = day;
      if (day > maxDay) maxDay = day;
      this.ms[p] = play.msPlayed;
      this.skip[p] = play.skipped === true || play.msPlayed < minPlayMs ? 1 : 0;
      this.artist[p] =
        i !== undefined
          ? keys.artistKey[i]!
          : (keys.artistNumbers.get(play.artistIds?.[0] ?? '') ?? -1);
      this.album[p] =
        i !== undefined ? keys.albumKey[i]! : (keys.albumNumbers.get(play.albumId ?? '') ?? -1);
    }
    this.sorted = sorted;
    this.minDay = minDay;
    this.maxDay = maxDay;
  }

  /**
   * The plays grouped by UTC day (a counting sort, built on first use): a window then visits the
   * days it covers instead of the whole log. Null when the log spans too many days for it to pay
   * (absurd timestamps), in which case windows scan every play.
   */
  dayBuckets(): DayBuckets | null {
    if (this.#days !== undefined) return this.#days;
    const at = this.at;
    const m = at.length;
    const minDay = this.minDay;
    const span = m === 0 ? 0 : this.maxDay - minDay + 1;
    if (span > 4 * m + 40_000) {
      this.#days = null;
      return null;
    }
    const starts = new Int32Array(span + 1);
    for (let p = 0; p < m; p++) starts[Math.floor(at[p]! / DAY) - minDay + 1]! += 1;
    for (let d = 0; d < span; d++) starts[d + 1]! += starts[d]!;
    const next = starts.slice(0, span);
    const order = new Int32Array(m);
    for (let p = 0; p < m; p++) order[next[Math.floor(at[p]! / DAY) - minDay]!++] = p;
    this.#days = { minDay, starts, order };
    return this.#days;
  }

  /**
   * Aggregates the windows of `jobs` (and their masks when asked): in a log in time order a window
   * is one range of it; otherwise the first windows scan the log and later ones visit its days.
   */
  aggregate(jobs: readonly StatsJob[]): void {
    const needsLocal = jobs.some((j) => j.masks);
    if (needsLocal && this.#hour === null) {
      this.#hour = new Uint8Array(this.at.length).fill(UNKNOWN_HOUR);
      this.#weekday = new Uint8Array(this.at.length);
    }
    for (const job of jobs) {
      if (job.masks) {
        const [lo, hi] = this.#sortedRange(job) ?? [0, this.at.length];
        this.#masks(job, lo, hi);
      }
      if (job.fresh)
        this.#eachRange(job, (list, lo, hi) => this.#aggregateRange(job, list, lo, hi));
    }
  }

  /**
   * Counts, per track, the counted plays of each window of `jobs` into its `counts`: the play
   * count alone, for a window whose other aggregates no clause or sort key reads (a loop of a few
   * loads per play where the full aggregation stores eight columns).
   */
  count(jobs: readonly CountJob[]): void {
    for (const job of jobs) {
      this.#eachRange(job, (list, lo, hi) => {
        for (let c = lo; c < hi; c += CHUNK) countOf(this, job, list, c, Math.min(hi, c + CHUNK));
      });
    }
  }

  /** In a log in time order, the range of plays of a bounded window; null otherwise. */
  #sortedRange(window: LogWindow): [number, number] | null {
    // A window whose bound is NaN (an absurd duration) compares false with every play, so it
    // holds them all: only a scan answers that as the comparisons do.
    if (!this.sorted || window.all || Number.isNaN(window.from) || Number.isNaN(window.to)) {
      return null;
    }
    return [this.#firstAfter(window.from, false), this.#firstAfter(window.to, true)];
  }

  /**
   * Calls `visit(list, lo, hi)` over the plays that may fall in a window (`list[lo..hi)`, or plays
   * lo..hi when `list` is null; the visitor still compares each play with the window): one range
   * of a log in time order, else the whole log for its first windows and the days the window
   * covers from then on.
   */
  #eachRange(
    window: LogWindow,
    visit: (list: Int32Array | null, lo: number, hi: number) => void,
  ): void {
    const range = this.#sortedRange(window);
    if (range !== null) {
      visit(null, range[0], range[1]);
      return;
    }
    const unbounded = Number.isNaN(window.from) || Number.isNaN(window.to);
    const bucketed = !unbounded && !window.all && ++this.#windowScans > SCANS_BEFORE_BUCKETS;
    const days = bucketed ? this.dayBuckets() : null;
    if (days === null) {
      visit(null, 0, this.at.length);
      return;
    }
    // Whole days of the window, clamped to the log; plays on its edge days are checked one by one.
    const first = Math.max(0, Math.floor(window.from / DAY) - days.minDay);
    const last = Math.min(days.starts.length - 2, Math.floor(window.to / DAY) - days.minDay);
    if (first <= last) visit(days.order, days.starts[first]!, days.starts[last + 1]!);
  }

  /**
   * The hour and weekday masks of a window, in one pass over the plays `lo..hi` in log order. A play's
   * local time is computed once per index, from its day's offset (one time-zone look-up per day
   * of the log, two on a day with a clock change, which then resolves each play).
   */
  #masks(job: StatsJob, lo: number, hi: number): void {
    const m = this.at.length;
    const span = m === 0 ? 0 : this.maxDay - this.minDay + 1;
    if (this.#dayOffsets === null && span <= 4 * m + 40_000) {
      this.#dayOffsets = new Float64Array(span).fill(Number.POSITIVE_INFINITY);
    }
    for (let c = lo; c < hi; c += CHUNK) this.#masksOf(job, c, Math.min(hi, c + CHUNK));
  }

  /** {@link PlayLog.#masks} over one chunk of the log. */
  #masksOf(job: StatsJob, lo: number, hi: number): void {
    const zone = zoneOffsets(this.timeZone);
    const min = this.minPlayMs;
    const pTrack = this.track;
    const pMs = this.ms;
    const pAt = this.at;
    const pHour = this.#hour!;
    const pWeekday = this.#weekday!;
    const { from, to, all } = job;
    const hourMask = job.stats.hourMask!;
    const weekdayMask = job.stats.weekdayMask!;
    const minDay = this.minDay;
    const offsets = this.#dayOffsets;
    for (let p = lo; p < hi; p++) {
      const i = pTrack[p]!;
      if (i < 0 || pMs[p]! < min) continue;
      const at = pAt[p]!;
      if (!all && (at < from || at > to)) continue;
      let hour = pHour[p]!;
      if (hour === UNKNOWN_HOUR) {
        let offset: number;
        if (offsets === null) offset = zone.offset(at);
        else {
          const d = Math.floor(at / DAY) - minDay;
          offset = offsets[d]!;
          if (offset === Number.POSITIVE_INFINITY) {
            const dayStart = (minDay + d) * DAY;
            const atStart = zone.offset(dayStart);
            offset = atStart === zone.offset(dayStart + DAY - 1) ? atStart : Number.NaN;
            offsets[d] = offset;
          }
          if (Number.isNaN(offset)) offset = zone.offset(at);
        }
        // Floored divisions instead of `%` on doubles (a libm call per use, the bulk of this loop
        // on a fresh index). The same values: the product and the difference are exact, except
        // just below 0, where `local + DAY` rounds up to DAY as the remainder formula's does
        // (which then takes DAY % DAY: hour 0).
        const local = at + offset;
        const localDay = Math.floor(local / DAY);
        hour = Math.floor((local - localDay * DAY) / 3_600_000);
        if (hour === 24) hour = 0;
        pHour[p] = hour;
        const shifted = localDay + 4; // 1970-01-01 was a Thursday
        pWeekday[p] = shifted - Math.floor(shifted / 7) * 7;
      }
      hourMask[i]! |= 1 << hour;
      weekdayMask[i]! |= 1 << pWeekday[p]!;
    }
  }

  /**
   * In a sorted log, the first play at or after `t` (`inclusive` false), or the first after `t`
   * (`inclusive` true: plays at `t` fall before it).
   */
  #firstAfter(t: number, inclusive: boolean): number {
    const at = this.at;
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at[mid]! < t || (inclusive && at[mid] === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Aggregates plays `list[lo..hi)` (or plays lo..hi when `list` is null) that fall in the job's window. */
  #aggregateRange(job: StatsJob, list: Int32Array | null, lo: number, hi: number): void {
    for (let c = lo; c < hi; c += CHUNK) this.#aggregateOf(job, list, c, Math.min(hi, c + CHUNK));
  }

  /** {@link PlayLog.#aggregateRange} over one chunk. */
  #aggregateOf(job: StatsJob, list: Int32Array | null, lo: number, hi: number): void {
    const min = this.minPlayMs;
    const pTrack = this.track;
    const pAt = this.at;
    const pMs = this.ms;
    const pSkip = this.skip;
    const pArtist = this.artist;
    const pAlbum = this.album;
    const { from, to, all, artistTotals, albumTotals } = job;
    const { streams, msPlayed, skipCount, playCount, first, last } = job.stats;
    for (let k = lo; k < hi; k++) {
      const p = list === null ? k : list[k]!;
      const at = pAt[p]!;
      if (!all && (at < from || at > to)) continue;
      const ms = pMs[p]!;
      const counted = ms >= min;
      const i = pTrack[p]!;
      if (counted) {
        const a = pArtist[p]!;
        if (a >= 0) artistTotals[a]! += 1;
        const b = pAlbum[p]!;
        if (b >= 0) albumTotals[b]! += 1;
      }
      if (i >= 0) {
        streams[i]! += 1;
        msPlayed[i]! += ms;
        if (pSkip[p] === 1) skipCount[i]! += 1;
        if (counted) {
          playCount[i]! += 1;
          if (!(first[i]! <= at)) first[i] = at;
          if (!(last[i]! >= at)) last[i] = at;
        }
      }
    }
  }
}

/** {@link PlayLog.count} over one chunk: counted plays of known tracks in the window. */
function countOf(
  log: PlayLog,
  job: CountJob,
  list: Int32Array | null,
  lo: number,
  hi: number,
): void {
  const min = log.minPlayMs;
  const pTrack = log.track;
  const pAt = log.at;
  const pMs = log.ms;
  const { from, to, all, counts } = job;
  for (let k = lo; k < hi; k++) {
    const p = list === null ? k : list[k]!;
    const at = pAt[p]!;
    if (!all && (at < from || at > to)) continue;
    const i = pTrack[p]!;
    if (i >= 0 && pMs[p]! >= min) counts[i]! += 1;
  }
}

/** Throws unless a play has an instant (within the Date range) and a finite duration. */
function checkPlay(play: NonNullable<LibraryInput['plays']>[number] | undefined, p: number): void {
  if (
    typeof play?.endedAt !== 'number' ||
    !(Math.abs(play.endedAt) <= MAX_INSTANT) ||
    typeof play.msPlayed !== 'number' ||
    !Number.isFinite(play.msPlayed)
  ) {
    throw badInput(
      `plays[${p}]`,
      'expected a Play whose endedAt is an instant in Unix ms (within the Date range) and whose msPlayed is a finite number',
    );
  }
}
