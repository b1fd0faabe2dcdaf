import { isSpotifyError, trackSchema } from '@spoti/client';
import { z } from 'zod';
import { type MeteredUser, type SyncContext, startRun } from '../internal/context.js';
import type { AvailabilityRecord, SyncRun } from '../state/sync-state-store.js';
import { parseWith } from './options.js';

/** Key of the rotating position of availability checks. */
export const AVAILABILITY_OFFSET_KEY = 'availability.offset';

/** A track as served with a `market`: `is_playable` and `restrictions` tell availability. */
const playableTrackSchema = trackSchema.extend({
  is_playable: z.boolean().optional(),
  restrictions: z.object({ reason: z.string().optional() }).optional(),
});
type PlayableTrack = z.infer<typeof playableTrackSchema>;

/** Options of {@link Sync.checkAvailability}. */
export interface AvailabilityOptions {
  /** Tracks to check; default: the user's library (saved tracks and saved albums' tracks), in slices. */
  readonly trackIds?: readonly string[] | undefined;
  /** Lookups this run may make; default `availability.maxCallsPerRun`. */
  readonly maxCalls?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

const optionsSchema = z.object({
  trackIds: z.array(z.string().regex(/^[A-Za-z0-9]+$/, 'a Spotify track id')).optional(),
  maxCalls: z.number().int().positive().optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
});

/** What {@link Sync.checkAvailability} did. */
export interface AvailabilityResult {
  /** The run's log entry. */
  readonly run: SyncRun;
  /** Tracks checked in this run. */
  readonly checked: number;
  /** Records whose status changed in this run (new removals, new restrictions, comebacks). */
  readonly changed: readonly AvailabilityRecord[];
  /** Tracks of the list not checked yet (the next run continues with them). */
  readonly remaining: number;
}

/** One availability run. See {@link Sync.checkAvailability}. */
export async function checkAvailability(
  ctx: SyncContext,
  user: MeteredUser,
  input: AvailabilityOptions,
): Promise<AvailabilityResult> {
  const options = parseWith(optionsSchema, input, 'availability options');
  const { run, deferred } = await startRun(ctx, user, 'availability');
  const market = ctx.options.availability.market;
  const maxCalls = options.maxCalls ?? ctx.options.availability.maxCallsPerRun;
  const rotating = options.trackIds === undefined;
  const ids = rotating ? await libraryTrackIds(ctx, user.id) : [...new Set(options.trackIds)];
  const previous = new Map((await ctx.state.listAvailability(user.id)).map((r) => [r.trackId, r]));
  const start = rotating ? await readOffset(ctx, user.id, ids.length) : 0;
  const tally = new AvailabilityTally(ctx, user.id, market, previous);
  const save = async () => {
    await ctx.state.putAvailability(tally.records);
    if (rotating) await saveOffset(ctx, user.id, start + tally.checked, ids.length);
  };
  if (!deferred && ids.length > 0) {
    try {
      await checkTracks(user, { ids, start, maxCalls, market, signal: options.signal }, tally);
    } catch (error) {
      await save();
      await run.fail(error);
    }
  }
  if (run.status !== 'rate_limited' && run.status !== 'deferred') await save();
  const { checked, changed } = tally;
  run.added = changed.length;
  run.details.checked = checked;
  run.details.removed = changed.filter((r) => r.status === 'removed').length;
  run.details.unplayable = changed.filter((r) => r.status === 'unplayable').length;
  const remaining = Math.max(0, ids.length - checked);
  if (remaining > 0 && run.status === 'ok') run.status = 'partial';
  return { run: await run.finish(), checked, changed, remaining };
}

/** The tracks checked so far in a run and the records they give. */
class AvailabilityTally {
  /** Records whose status changed. */
  readonly changed: AvailabilityRecord[] = [];
  /** Records to store (every track that is, or was, not available). */
  readonly records: AvailabilityRecord[] = [];
  checked = 0;

  constructor(
    private readonly ctx: SyncContext,
    private readonly userId: string,
    private readonly market: string,
    private readonly previous: ReadonlyMap<string, AvailabilityRecord>,
  ) {}

  /** Records the verdict on `id` from the track Spotify served (null: not found). */
  classify(id: string, track: PlayableTrack | null): void {
    if (track === null) this.observe(id, 'removed', 'not_found');
    else if (track.is_playable === false)
      this.observe(id, 'unplayable', track.restrictions?.reason ?? 'unknown');
    else this.observe(id, 'available', null);
  }

  private observe(trackId: string, status: AvailabilityRecord['status'], reason: string | null) {
    const now = this.ctx.now();
    const before = this.previous.get(trackId);
    this.checked += 1;
    if (before === undefined && status === 'available') return;
    const same = before !== undefined && before.status === status && before.reason === reason;
    const record: AvailabilityRecord = {
      userId: this.userId,
      trackId,
      status,
      reason,
      market: this.market,
      noticedAt: same ? before.noticedAt : now,
      checkedAt: now,
    };
    this.records.push(record);
    if (!same) this.changed.push(record);
  }
}

/** What one run checks: the list, where it starts, how many calls it may make. */
interface CheckPlan {
  readonly ids: readonly string[];
  readonly start: number;
  readonly maxCalls: number;
  readonly market: string;
  readonly signal: AbortSignal | undefined;
}

/** Checks tracks from `plan.start` on, wrapping round the list, until the calls run out. */
async function checkTracks(user: MeteredUser, plan: CheckPlan, tally: AvailabilityTally) {
  const { ids, start, maxCalls } = plan;
  const batchMode = user.client.hasCapability('batch-tracks');
  let calls = 0;
  while (calls < maxCalls && tally.checked < ids.length) {
    const position = (start + tally.checked) % ids.length;
    calls += 1;
    if (batchMode) await checkBatch(user, plan, position, tally);
    else await checkOne(user, plan, ids[position] as string, tally);
  }
}

/** Checks up to 50 tracks from `position` in one call. */
async function checkBatch(
  user: MeteredUser,
  plan: CheckPlan,
  position: number,
  tally: AvailabilityTally,
): Promise<void> {
  const { ids } = plan;
  const part: string[] = [];
  for (let i = 0; i < 50 && tally.checked + i < ids.length; i++)
    part.push(ids[(position + i) % ids.length] as string);
  const body = await user.client.request({
    method: 'GET',
    endpoint: 'GET /tracks',
    path: '/tracks',
    query: { ids: part.join(','), market: plan.market },
    schema: z.object({ tracks: z.array(playableTrackSchema.nullable()) }),
    modeGated: true,
    signal: plan.signal,
  });
  for (const [i, id] of part.entries()) tally.classify(id, body.tracks[i] ?? null);
}

/** Checks one track. */
async function checkOne(
  user: MeteredUser,
  plan: CheckPlan,
  id: string,
  tally: AvailabilityTally,
): Promise<void> {
  let track: PlayableTrack | null;
  try {
    track = await user.client.request({
      method: 'GET',
      endpoint: 'GET /tracks/{id}',
      path: `/tracks/${encodeURIComponent(id)}`,
      query: { market: plan.market },
      schema: playableTrackSchema,
      signal: plan.signal,
    });
  } catch (error) {
    // Only a 404 means gone; a 429 or 5xx ends the run without a verdict.
    if (!(isSpotifyError(error) && error.code === 'NOT_FOUND')) throw error;
    track = null;
  }
  tally.classify(id, track);
}

/** Saved tracks plus the tracks of saved albums, sorted (stable slices across runs). */
async function libraryTrackIds(ctx: SyncContext, userId: string): Promise<string[]> {
  const ids = new Set((await ctx.state.listLibrary(userId, 'track')).map((e) => e.id));
  const albums = (await ctx.state.listLibrary(userId, 'album')).map((e) => e.id);
  for (const tracks of (await ctx.state.getAlbumTracks(albums)).values())
    for (const id of tracks) ids.add(id);
  return [...ids].sort();
}

async function readOffset(ctx: SyncContext, userId: string, size: number): Promise<number> {
  const value = await ctx.state.getValue(userId, AVAILABILITY_OFFSET_KEY);
  return typeof value === 'number' && size > 0 ? value % size : 0;
}

async function saveOffset(
  ctx: SyncContext,
  userId: string,
  next: number,
  size: number,
): Promise<void> {
  await ctx.state.setValue(userId, AVAILABILITY_OFFSET_KEY, size > 0 ? next % size : 0);
}
