import { albumFromSpotify, artistFromSpotify } from '@spoti/catalog';
import type { SpotifySavedAlbum, SpotifySavedTrack } from '@spoti/client';
import { z } from 'zod';
import { type MeteredUser, type SyncContext, startRun } from '../internal/context.js';
import {
  type EntityBatch,
  addAlbumTrack,
  addFullTrack,
  batchWrite,
  entityBatch,
  writeEntities,
} from '../internal/entities.js';
import type { RunRecorder } from '../internal/run-recorder.js';
import type { LibraryEntry, LibraryKind, SyncRun, TrackRef } from '../state/sync-state-store.js';

/** Key of an unfinished full pass. */
export const LIBRARY_PROGRESS_KEY = 'library.progress';
/** Key of the time the last full pass started. */
export const LIBRARY_LAST_FULL_KEY = 'library.lastFullAt';
/** Key of the stamp of the latest listing pass (strictly increasing). */
export const LIBRARY_LAST_PASS_KEY = 'library.lastPass';
const PAGE = 50;
const STEPS = ['tracks', 'albums', 'artists', 'album-tracks', 'cleanup'] as const;
type Step = (typeof STEPS)[number];

const progressSchema = z.object({
  passStartedAt: z.number(),
  step: z.enum(STEPS),
  offset: z.number().int().min(0),
  after: z.string().nullable(),
  candidates: z.array(z.string()),
});
type Progress = z.infer<typeof progressSchema>;

/** What {@link Sync.syncLibrary} did. */
export interface LibrarySyncResult {
  /** The run's log entry. */
  readonly run: SyncRun;
  /** `full`: every item listed, removals applied; `incremental`: stopped at known items. */
  readonly mode: 'full' | 'incremental';
  /** Items added to the mirror, per kind. */
  readonly added: Readonly<Record<LibraryKind, number>>;
  /** Items removed from the mirror (unsaved or unfollowed), per kind. Plays are never removed. */
  readonly removed: Readonly<Record<LibraryKind, number>>;
  /** Albums whose track lists were fetched. */
  readonly albumTracksFetched: number;
  /** Saved albums still waiting for their track list (next run). */
  readonly albumTracksPending: number;
  /**
   * Tracks deleted from the catalog because nothing refers to them any more: not saved, not in a
   * saved album, and (the store checks) never played, liked, favourited or in a playlist.
   */
  readonly orphanedTracks: readonly string[];
}

/** One library sync run. See {@link Sync.syncLibrary}. */
export async function syncLibrary(
  ctx: SyncContext,
  user: MeteredUser,
  options: { readonly full?: boolean | undefined; readonly signal?: AbortSignal | undefined },
): Promise<LibrarySyncResult> {
  const { run, deferred } = await startRun(ctx, user, 'library');
  const added: Record<LibraryKind, number> = { track: 0, album: 0, artist: 0 };
  const removed: Record<LibraryKind, number> = { track: 0, album: 0, artist: 0 };
  const counters: StepCounters = { albumTracksFetched: 0, albumTracksPending: 0, orphaned: [] };
  const stored = progressSchema.safeParse(await ctx.state.getValue(user.id, LIBRARY_PROGRESS_KEY));
  const lastFull = await ctx.state.getValue(user.id, LIBRARY_LAST_FULL_KEY);
  const now = ctx.now();
  const full =
    stored.success ||
    options.full === true ||
    typeof lastFull !== 'number' ||
    now - lastFull >= ctx.options.library.reconcileEveryMs;
  let progress: Progress = stored.success
    ? stored.data
    : { passStartedAt: now, step: 'tracks', offset: 0, after: null, candidates: [] };
  if (stored.success) run.details.resumed = `${progress.step}@${progress.offset}`;
  const save = async (next: Partial<Progress>) => {
    progress = { ...progress, ...next };
    if (full) await ctx.state.setValue(user.id, LIBRARY_PROGRESS_KEY, progress);
  };
  const stamp = () => stampPass(ctx, user.id);
  if (full && !stored.success) progress = { ...progress, passStartedAt: await stamp() };
  const summarize = () => {
    run.added = added.track + added.album + added.artist;
    run.removed = removed.track + removed.album + removed.artist;
    run.details.mode = full ? 'full' : 'incremental';
    run.details.albumTracksFetched = counters.albumTracksFetched;
    run.details.albumTracksPending = counters.albumTracksPending;
    run.details.orphanedTracks = counters.orphaned.length;
  };
  const job: Job = {
    ctx,
    user,
    run,
    added,
    removed,
    signal: options.signal,
    full,
    save,
    progress: () => progress,
    stamp,
  };
  if (!deferred) {
    try {
      await runSteps(job, counters);
      if (full) {
        await ctx.state.setValue(user.id, LIBRARY_LAST_FULL_KEY, progress.passStartedAt);
        await ctx.state.deleteValue(user.id, LIBRARY_PROGRESS_KEY);
      }
      if (counters.albumTracksPending > 0) run.status = 'partial';
    } catch (error) {
      summarize();
      await run.fail(error);
    }
  }
  summarize();
  return {
    run: await run.finish(),
    mode: full ? 'full' : 'incremental',
    added,
    removed,
    albumTracksFetched: counters.albumTracksFetched,
    albumTracksPending: counters.albumTracksPending,
    orphanedTracks: counters.orphaned,
  };
}

/** What the steps of a run report: album track lists fetched and pending, orphans deleted. */
interface StepCounters {
  albumTracksFetched: number;
  albumTracksPending: number;
  orphaned: string[];
}

/** Runs the steps from the saved one on, saving the step as each begins. */
async function runSteps(job: Job, counters: StepCounters): Promise<void> {
  const start = job.progress().step;
  for (const step of STEPS.slice(STEPS.indexOf(start))) {
    if (step !== job.progress().step) await job.save({ step, offset: 0, after: null });
    if (step === 'tracks' || step === 'albums') await syncSaved(job, step);
    else if (step === 'artists') await syncFollowed(job);
    else if (step === 'album-tracks') Object.assign(counters, await syncAlbumTracks(job));
    else counters.orphaned = await cleanup(job, job.progress().candidates);
  }
}

/** Saves and returns a pass stamp later than any earlier one of the user. */
async function stampPass(ctx: SyncContext, userId: string): Promise<number> {
  const last = await ctx.state.getValue(userId, LIBRARY_LAST_PASS_KEY);
  const next = Math.max(ctx.now(), typeof last === 'number' ? last + 1 : 0);
  await ctx.state.setValue(userId, LIBRARY_LAST_PASS_KEY, next);
  return next;
}

interface Job {
  readonly ctx: SyncContext;
  readonly user: MeteredUser;
  readonly run: RunRecorder;
  readonly added: Record<LibraryKind, number>;
  readonly removed: Record<LibraryKind, number>;
  readonly signal: AbortSignal | undefined;
  readonly full: boolean;
  readonly save: (next: Partial<Progress>) => Promise<void>;
  readonly progress: () => Progress;
  /** A pass stamp later than any earlier one (entries not seen since are gone). */
  readonly stamp: () => Promise<number>;
}

type SavedItem = SpotifySavedTrack | SpotifySavedAlbum;
const itemId = (item: SavedItem) => ('track' in item ? item.track.id : item.album.id);

/** Saved tracks or albums: newest first, so an incremental pass stops at the first known item. */
async function syncSaved(job: Job, step: 'tracks' | 'albums'): Promise<void> {
  const { ctx, user } = job;
  const kind: LibraryKind = step === 'tracks' ? 'track' : 'album';
  const known = new Map(
    (await ctx.state.listLibrary(user.id, kind)).map((e) => [e.id, e] as const),
  );
  const market = ctx.options.library.market;
  const fetchPage = (offset: number) => {
    const params = { limit: PAGE, offset, signal: job.signal, ...(market ? { market } : {}) };
    job.run.count('pages');
    return step === 'tracks'
      ? user.client.getSavedTracks(params)
      : user.client.getSavedAlbums(params);
  };
  if (!job.full) {
    // Incremental: collect what is newer than the first known item, then write it at once.
    const fresh: SavedItem[] = [];
    let offset = 0;
    let total = 0;
    let stopped = false;
    while (!stopped) {
      const page = await fetchPage(offset);
      total = page.total;
      for (const item of page.items as SavedItem[]) {
        const entry = known.get(itemId(item));
        if (entry !== undefined && entry.addedAt === Date.parse(item.added_at)) {
          stopped = true;
          break;
        }
        fresh.push(item);
      }
      offset += page.items.length;
      if (page.next === null || page.items.length === 0) break;
    }
    const expected = known.size + new Set(fresh.map(itemId).filter((id) => !known.has(id))).size;
    await writeSaved(job, kind, fresh, known, ctx.now());
    // The total tells whether something was unsaved: then list everything to find out what.
    if (total === expected) return;
    job.run.details[`${step}Reconciled`] = true;
  }
  const passStartedAt = job.full ? job.progress().passStartedAt : await job.stamp();
  let offset = job.full ? job.progress().offset : 0;
  for (;;) {
    const page = await fetchPage(offset);
    await writeSaved(job, kind, page.items as SavedItem[], known, passStartedAt);
    offset += page.items.length;
    await job.save({ offset });
    if (page.next === null || page.items.length === 0) break;
  }
  const entries = await ctx.state.listLibrary(user.id, kind);
  await removeSaved(
    job,
    kind,
    entries.filter((e) => e.seenAt < passStartedAt),
  );
  if (kind === 'track') {
    const listed = new Set(entries.filter((e) => e.seenAt >= passStartedAt).map((e) => e.id));
    await dropStrays(job, 'track', listed);
  }
}

/**
 * Removes likes (or follows) the catalog holds for items this complete listing did not show.
 * They are left by a run that wrote the catalog but failed before recording the item in the
 * sync state (a crash, or a state write whose answer was lost): the state never knew the item,
 * so its removal on Spotify could not be noticed the usual way.
 */
async function dropStrays(job: Job, kind: 'track' | 'artist', listed: Set<string>): Promise<void> {
  const { ctx, user } = job;
  const held =
    kind === 'track'
      ? (await ctx.store.listLikes(user.id)).map((l) => l.trackId)
      : (await ctx.store.listFollows(user.id)).map((f) => f.artistId);
  const strays = held.filter((id) => !listed.has(id));
  if (strays.length === 0) return;
  await batchWrite(ctx.store, async (tx) => {
    for (const id of strays) {
      if (kind === 'track') await tx.unlike(user.id, id);
      else await tx.unfollow(user.id, id);
    }
  });
  job.run.details[kind === 'track' ? 'strayLikesRemoved' : 'strayFollowsRemoved'] = strays.length;
  if (kind === 'track') await addCandidates(job, strays);
}

function entryOf(userId: string, kind: LibraryKind, item: SavedItem, seenAt: number): LibraryEntry {
  return { userId, kind, id: itemId(item), addedAt: Date.parse(item.added_at), seenAt };
}

async function writeSaved(
  job: Job,
  kind: LibraryKind,
  items: readonly SavedItem[],
  known: Map<string, LibraryEntry>,
  seenAt: number,
): Promise<void> {
  if (items.length === 0) return;
  const { ctx, user } = job;
  const now = ctx.now();
  const batch: EntityBatch = entityBatch();
  const refs: TrackRef[] = [];
  // Items already mirrored with the same date only need `seenAt`; a scheduled full pass still
  // refreshes their catalog entries (names and albums change now and then).
  const changed = job.full
    ? items
    : items.filter((item) => known.get(itemId(item))?.addedAt !== Date.parse(item.added_at));
  for (const item of changed) {
    if ('track' in item) {
      addFullTrack(batch, item.track, now, true);
      refs.push({ userId: user.id, trackId: item.track.id, ref: 'saved' });
    } else {
      batch.albums.push(albumFromSpotify(item.album, now));
      for (const a of item.album.artists) batch.artistsIfMissing.push(artistFromSpotify(a, now));
    }
  }
  const markKnown = await batchWrite(ctx.store, async (tx) => {
    const mark = await writeEntities(tx, batch, ctx.known);
    for (const item of changed) {
      if ('track' in item)
        await tx.like({
          userId: user.id,
          trackId: item.track.id,
          likedAt: Date.parse(item.added_at),
        });
    }
    return mark;
  });
  markKnown();
  await ctx.state.addTrackRefs(refs);
  const entries = items.map((item) => entryOf(user.id, kind, item, seenAt));
  await ctx.state.putLibrary(entries);
  for (const e of entries) {
    if (!known.has(e.id)) job.added[kind] += 1;
    known.set(e.id, e);
  }
}

async function removeSaved(
  job: Job,
  kind: LibraryKind,
  gone: readonly LibraryEntry[],
): Promise<void> {
  if (gone.length === 0) return;
  const { ctx, user } = job;
  const ids = gone.map((e) => e.id);
  let candidates: string[] = [];
  let refs: TrackRef[] = [];
  if (kind === 'track') {
    await batchWrite(ctx.store, async (tx) => {
      for (const id of ids) await tx.unlike(user.id, id);
    });
    refs = ids.map((trackId) => ({ userId: user.id, trackId, ref: 'saved' }));
    candidates = ids;
  } else {
    const tracks = await ctx.state.getAlbumTracks(ids);
    for (const [albumId, trackIds] of tracks) {
      for (const trackId of trackIds)
        refs.push({ userId: user.id, trackId, ref: `album:${albumId}` });
      candidates.push(...trackIds);
    }
  }
  await ctx.state.removeTrackRefs(refs);
  await ctx.state.removeLibrary(user.id, kind, ids);
  job.removed[kind] += ids.length;
  await addCandidates(job, candidates);
}

async function addCandidates(job: Job, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await job.save({ candidates: [...new Set([...job.progress().candidates, ...ids])] });
}

/** Followed artists: listed by id, so every run lists them all (cheap: 50 per call). */
async function syncFollowed(job: Job): Promise<void> {
  const { ctx, user } = job;
  const known = new Map(
    (await ctx.state.listLibrary(user.id, 'artist')).map((e) => [e.id, e] as const),
  );
  const passStartedAt = job.full ? job.progress().passStartedAt : await job.stamp();
  let after: string | null = job.full ? job.progress().after : null;
  for (;;) {
    job.run.count('pages');
    const page = await user.client.getFollowedArtists({
      limit: PAGE,
      ...(after === null ? {} : { after }),
      signal: job.signal,
    });
    const now = ctx.now();
    if (page.items.length > 0) {
      await batchWrite(ctx.store, async (tx) => {
        await tx.upsertArtists(page.items.map((a) => artistFromSpotify(a, now)));
        for (const a of page.items) {
          await tx.follow({
            userId: user.id,
            artistId: a.id,
            followedAt: known.get(a.id)?.addedAt ?? now,
          });
        }
      });
      for (const a of page.items) ctx.known.artists.add(a.id);
      const entries = page.items.map((a) => ({
        userId: user.id,
        kind: 'artist' as const,
        id: a.id,
        addedAt: known.get(a.id)?.addedAt ?? now,
        seenAt: passStartedAt,
      }));
      await ctx.state.putLibrary(entries);
      for (const e of entries) {
        if (!known.has(e.id)) job.added.artist += 1;
        known.set(e.id, e);
      }
    }
    after = page.cursors?.after ?? page.items.at(-1)?.id ?? null;
    await job.save({ after });
    if (page.next === null || page.items.length === 0 || after === null) break;
  }
  const gone = [...known.values()].filter((e) => e.seenAt < passStartedAt);
  if (gone.length > 0) {
    await batchWrite(ctx.store, async (tx) => {
      for (const e of gone) await tx.unfollow(user.id, e.id);
    });
    await ctx.state.removeLibrary(
      user.id,
      'artist',
      gone.map((e) => e.id),
    );
    job.removed.artist += gone.length;
  }
  await dropStrays(
    job,
    'artist',
    new Set([...known.values()].filter((e) => e.seenAt >= passStartedAt).map((e) => e.id)),
  );
}

/** Track lists of saved albums that lack one, within the per-run budget. */
async function syncAlbumTracks(
  job: Job,
): Promise<{ albumTracksFetched: number; albumTracksPending: number }> {
  const { ctx, user } = job;
  const albums = (await ctx.state.listLibrary(user.id, 'album')).map((e) => e.id).sort();
  const have = await ctx.state.getAlbumTracks(albums);
  const missing = albums.filter((id) => !have.has(id));
  const budget = ctx.options.library.albumTracksPerRun;
  const todo = missing.slice(0, budget);
  // Albums whose lists were fetched earlier (e.g. for another user) only need this user's refs.
  const refs: TrackRef[] = [];
  for (const [albumId, trackIds] of have)
    for (const trackId of trackIds)
      refs.push({ userId: user.id, trackId, ref: `album:${albumId}` });
  await ctx.state.addTrackRefs(refs);
  let fetched = 0;
  for (const albumId of todo) {
    const batch = entityBatch();
    const trackIds: string[] = [];
    const now = ctx.now();
    for await (const track of user.client.paginate(
      user.client.getAlbumTracks.bind(user.client, albumId),
      { limit: PAGE },
      { signal: job.signal },
    )) {
      addAlbumTrack(batch, track, { id: albumId }, now);
      trackIds.push(track.id);
    }
    const markKnown = await batchWrite(ctx.store, (tx) => writeEntities(tx, batch, ctx.known));
    markKnown();
    await ctx.state.addTrackRefs(
      trackIds.map((trackId) => ({ userId: user.id, trackId, ref: `album:${albumId}` })),
    );
    await ctx.state.putAlbumTracks(new Map([[albumId, trackIds]]));
    fetched += 1;
  }
  return { albumTracksFetched: fetched, albumTracksPending: missing.length - todo.length };
}

/**
 * Deletes the tracks that lost their last library reference. The catalog store never deletes a
 * track that has plays (or a like, favourite or playlist item): those stay, counted as kept.
 */
async function cleanup(job: Job, candidates: readonly string[]): Promise<string[]> {
  const { ctx } = job;
  const all = [...new Set(candidates)];
  if (all.length === 0) return [];
  const orphans = await ctx.state.unreferencedTracks(all);
  let deleted: string[] = [];
  if (orphans.length > 0) {
    const result = await ctx.store.deleteTracks(orphans);
    deleted = result.deleted;
    for (const id of deleted) ctx.known.tracks.delete(id);
    job.run.details.deletedTracks = deleted.length;
    if (result.kept.length > 0) job.run.details.keptTracks = result.kept.length;
  }
  await job.save({ candidates: [] });
  return deleted;
}

export type { Step as LibraryStep };
