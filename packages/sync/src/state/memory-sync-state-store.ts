import type {
  AvailabilityRecord,
  LibraryEntry,
  LibraryKind,
  SyncGap,
  SyncRun,
  SyncRunKind,
  SyncStateStore,
  TrackRef,
} from './sync-state-store.js';

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

/**
 * An in-memory {@link SyncStateStore}, for tests and single-process tools. Values are copied in
 * and out, so callers cannot mutate stored state by accident.
 *
 * @example
 * ```ts
 * const state = createMemorySyncStateStore();
 * await state.setValue('u1', 'plays.cursor', { newestEndedAt: 0 });
 * ```
 */
export class MemorySyncStateStore implements SyncStateStore {
  readonly backend = 'memory' as const;
  readonly #values = new Map<string, unknown>();
  readonly #gaps = new Map<string, SyncGap>();
  readonly #library = new Map<string, LibraryEntry>();
  readonly #albumTracks = new Map<string, string[]>();
  readonly #refs = new Map<string, Set<string>>();
  readonly #availability = new Map<string, AvailabilityRecord>();
  readonly #runs: SyncRun[] = [];

  async getValue(userId: string, key: string): Promise<unknown> {
    return clone(this.#values.get(`${userId}\u0000${key}`) ?? null);
  }
  async setValue(userId: string, key: string, value: unknown): Promise<void> {
    this.#values.set(`${userId}\u0000${key}`, clone(value));
  }
  async deleteValue(userId: string, key: string): Promise<void> {
    this.#values.delete(`${userId}\u0000${key}`);
  }

  async addGap(gap: SyncGap): Promise<void> {
    if (!this.#gaps.has(gap.id)) this.#gaps.set(gap.id, { ...gap });
  }
  async listGaps(userId: string): Promise<SyncGap[]> {
    return [...this.#gaps.values()]
      .filter((g) => g.userId === userId)
      .sort((a, b) => a.from - b.from || a.to - b.to)
      .map((g) => ({ ...g }));
  }
  async fillGaps(userId: string, ids: readonly string[], filledAt: number): Promise<void> {
    for (const id of ids) {
      const gap = this.#gaps.get(id);
      if (gap !== undefined && gap.userId === userId && gap.filledAt === null)
        this.#gaps.set(id, { ...gap, filledAt });
    }
  }

  async listLibrary(userId: string, kind: LibraryKind): Promise<LibraryEntry[]> {
    return [...this.#library.values()]
      .filter((e) => e.userId === userId && e.kind === kind)
      .map((e) => ({ ...e }));
  }
  async putLibrary(entries: readonly LibraryEntry[]): Promise<void> {
    for (const e of entries) this.#library.set(`${e.userId}\u0000${e.kind}\u0000${e.id}`, { ...e });
  }
  async removeLibrary(userId: string, kind: LibraryKind, ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#library.delete(`${userId}\u0000${kind}\u0000${id}`);
  }

  async getAlbumTracks(albumIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const id of albumIds) {
      const tracks = this.#albumTracks.get(id);
      if (tracks !== undefined) out.set(id, [...tracks]);
    }
    return out;
  }
  async putAlbumTracks(albums: ReadonlyMap<string, readonly string[]>): Promise<void> {
    for (const [id, tracks] of albums) this.#albumTracks.set(id, [...tracks]);
  }

  async addTrackRefs(refs: readonly TrackRef[]): Promise<void> {
    for (const r of refs) {
      let set = this.#refs.get(r.trackId);
      if (set === undefined) {
        set = new Set();
        this.#refs.set(r.trackId, set);
      }
      set.add(`${r.userId}\u0000${r.ref}`);
    }
  }
  async removeTrackRefs(refs: readonly TrackRef[]): Promise<void> {
    for (const r of refs) {
      const set = this.#refs.get(r.trackId);
      set?.delete(`${r.userId}\u0000${r.ref}`);
      if (set?.size === 0) this.#refs.delete(r.trackId);
    }
  }
  async unreferencedTracks(trackIds: readonly string[]): Promise<string[]> {
    return [...new Set(trackIds)].filter((id) => (this.#refs.get(id)?.size ?? 0) === 0);
  }

  async putAvailability(records: readonly AvailabilityRecord[]): Promise<void> {
    for (const r of records) this.#availability.set(`${r.userId}\u0000${r.trackId}`, { ...r });
  }
  async listAvailability(userId: string): Promise<AvailabilityRecord[]> {
    return [...this.#availability.values()]
      .filter((r) => r.userId === userId)
      .sort((a, b) => (a.trackId < b.trackId ? -1 : a.trackId > b.trackId ? 1 : 0))
      .map((r) => ({ ...r }));
  }

  async appendRun(run: SyncRun): Promise<void> {
    this.#runs.push(clone(run));
  }
  async listRuns(
    userId: string,
    options: { readonly limit?: number; readonly kind?: SyncRunKind } = {},
  ): Promise<SyncRun[]> {
    const out: SyncRun[] = [];
    for (let i = this.#runs.length - 1; i >= 0 && out.length < (options.limit ?? 50); i--) {
      const run = this.#runs[i] as SyncRun;
      if (run.userId === userId && (options.kind === undefined || run.kind === options.kind))
        out.push(clone(run));
    }
    return out;
  }

  async close(): Promise<void> {}
}

/**
 * Creates a {@link SyncStateStore} in memory (tests, demos, one process).
 *
 * @example
 * ```ts
 * const sync = createSync({ store: createMemoryStore(), state: createMemorySyncStateStore() });
 * ```
 */
export function createMemorySyncStateStore(): MemorySyncStateStore {
  return new MemorySyncStateStore();
}
