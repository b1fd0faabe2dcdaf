import type { IndexedTrack, PlayIndex } from '../play-index.js';
import type { StatsOptions } from '../stats-options.js';
import type { ListeningStats } from '../types.js';

/** Listening time per release year of the tracks heard, for the listening age. */
export class ReleaseYears {
  knownMs = 0;
  readonly #ms = new Map<number, number>();
  /** Release year of each track asked so far (null: unknown). */
  readonly #trackYear = new Map<number, number | null>();

  constructor(
    private readonly index: PlayIndex,
    private readonly releaseYearOf: NonNullable<StatsOptions['releaseYearOf']>,
  ) {}

  /** Counts `ms` of track `tr` (`info` is its entry in the index). */
  add(tr: number, info: IndexedTrack, ms: number): void {
    let year = this.#trackYear.get(tr);
    if (year === undefined) {
      year = this.#yearOf(info);
      this.#trackYear.set(tr, year);
    }
    if (year !== null) {
      this.knownMs += ms;
      this.#ms.set(year, (this.#ms.get(year) ?? 0) + ms);
    }
  }

  #yearOf(info: IndexedTrack): number | null {
    const { index } = this;
    const album = info.album >= 0 ? index.albums[info.album] : undefined;
    const y = this.releaseYearOf({
      id: info.id,
      name: info.name,
      artistName: index.artists[info.artist]?.name ?? '',
      albumName: album?.name ?? null,
    });
    return y !== undefined && Number.isInteger(y) ? y : null;
  }

  /**
   * The five-year window of release years heard most (windows centred on each year heard; the
   * earliest wins a tie), or null when no year is known.
   */
  listeningAge(totalMs: number): ListeningStats['listeningAge'] {
    if (this.knownMs <= 0) return null;
    const releaseMs = this.#ms;
    const years = [...releaseMs.keys()].sort((a, b) => a - b);
    let best = { fromYear: (years[0] as number) - 2, ms: -1 };
    for (const y of years) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) sum += releaseMs.get(y + k) ?? 0;
      if (sum > best.ms) best = { fromYear: y - 2, ms: sum };
    }
    return {
      fromYear: best.fromYear,
      toYear: best.fromYear + 4,
      share: best.ms / this.knownMs,
      coverage: totalMs > 0 ? this.knownMs / totalMs : 0,
    };
  }
}
