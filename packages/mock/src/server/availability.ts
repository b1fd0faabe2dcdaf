import type { WorldPlay } from '../world/types.js';

/**
 * A change of a track's availability, as `controls.truth.availability()` lists it.
 *
 * @example
 * ```ts
 * mock.controls.catalog.removeTrack(trackId);
 * const [change] = mock.controls.truth.availability(); // { trackId, status: 'removed', markets: null, atMs }
 * ```
 */
export interface TrackAvailability {
  readonly trackId: string;
  /** `removed`: gone from the catalogue; `restricted`: only available in `markets`. */
  readonly status: 'removed' | 'restricted';
  /** For `restricted`: the markets the track is still available in (sorted); `null` for `removed`. */
  readonly markets: readonly string[] | null;
  /** Mock-clock time of the change, Unix ms. */
  readonly atMs: number;
}

interface Restriction {
  readonly markets: ReadonlySet<string>;
  readonly list: readonly string[];
  readonly atMs: number;
}

/**
 * Removals and market restrictions of tracks made through `controls.catalog`, per running mock.
 * Empty (and free) unless a test changes something.
 */
export class Availability {
  private readonly removed = new Map<string, number>();
  private readonly restricted = new Map<string, Restriction>();
  private removals = 0;

  /** Changes whenever the set of removed tracks may have changed (for caches of visible lists). */
  get revision(): number {
    return this.removals;
  }

  /** True when nothing was removed or restricted (the common case: every check is skipped). */
  get empty(): boolean {
    return this.removed.size === 0 && this.restricted.size === 0;
  }

  isRemoved(trackId: string): boolean {
    return this.removed.size > 0 && this.removed.has(trackId);
  }

  /** True when the track is not removed and not restricted away from `market`. */
  availableIn(trackId: string, market: string): boolean {
    if (this.isRemoved(trackId)) return false;
    const restriction = this.restricted.size === 0 ? undefined : this.restricted.get(trackId);
    return restriction === undefined || restriction.markets.has(market);
  }

  /**
   * False for a play that could not have happened: its track had been removed, or restricted away
   * from `country`, before the play started.
   */
  heard(play: WorldPlay, country: string): boolean {
    if (this.empty) return true;
    const startMs = play.endedAtMs - play.msPlayed;
    const removedAt = this.removed.get(play.trackId);
    if (removedAt !== undefined && removedAt <= startMs) return false;
    const restriction = this.restricted.get(play.trackId);
    return !(
      restriction !== undefined &&
      restriction.atMs <= startMs &&
      !restriction.markets.has(country)
    );
  }

  remove(trackId: string, atMs: number): void {
    if (!this.removed.has(trackId)) this.removed.set(trackId, atMs);
    this.removals++;
  }

  restrict(trackId: string, markets: readonly string[] | null, atMs: number): void {
    if (markets === null) {
      this.restricted.delete(trackId);
      return;
    }
    const list = [...new Set(markets)].sort();
    this.restricted.set(trackId, { markets: new Set(list), list, atMs });
  }

  /** Undoes a removal and a restriction of the track. */
  restore(trackId: string): void {
    if (this.removed.delete(trackId)) this.removals++;
    this.restricted.delete(trackId);
  }

  clear(): void {
    this.removals++;
    this.removed.clear();
    this.restricted.clear();
  }

  /** Current removals and restrictions, oldest change first (ties by track id, removals first). */
  list(): TrackAvailability[] {
    const out: TrackAvailability[] = [];
    for (const [trackId, atMs] of this.removed)
      out.push({ trackId, status: 'removed', markets: null, atMs });
    for (const [trackId, r] of this.restricted)
      out.push({ trackId, status: 'restricted', markets: r.list, atMs: r.atMs });
    return out.sort(
      (a, b) =>
        a.atMs - b.atMs ||
        (a.trackId < b.trackId ? -1 : a.trackId > b.trackId ? 1 : 0) ||
        (a.status === 'removed' ? -1 : 1),
    );
  }
}
