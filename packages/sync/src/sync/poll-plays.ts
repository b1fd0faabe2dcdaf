import { type Play, playFromSpotify } from '@spoti/catalog';
import type { SpotifyPlayHistory } from '@spoti/client';
import { z } from 'zod';
import { type MeteredUser, type SyncContext, startRun } from '../internal/context.js';
import { addFullTrack, entityBatch, writeEntities } from '../internal/entities.js';
import type { RunRecorder } from '../internal/run-recorder.js';
import type { SyncGap, SyncRun, TrackRef } from '../state/sync-state-store.js';
import {
  RECENTLY_PLAYED_WINDOW,
  estimateMissedPlays,
  recommendPollInterval,
  updatePlayRate,
} from './poll-math.js';

/** Key of the play cursor in the state store. */
export const PLAY_CURSOR_KEY = 'plays.cursor';

const cursorSchema = z.object({
  /** `endedAt` of the newest play written (Unix ms); the next poll asks for plays after it. */
  newestEndedAt: z.number().nullable(),
  /** When the last successful poll ran (Unix ms). */
  lastPollAt: z.number().nullable(),
  /** Recent plays per hour (bursts weigh in), or null while unknown. */
  ratePerHour: z.number().nullable(),
  /** When polling started (Unix ms). */
  trackedSince: z.number().nullable().default(null),
  /** Plays stored by polls since `trackedSince`. */
  trackedPlays: z.number().int().min(0).default(0),
});

/** The play cursor kept per user. */
export type PlayCursor = z.infer<typeof cursorSchema>;

/** What {@link Sync.syncRecentPlays} did. */
export interface PollResult {
  /** The run's log entry. */
  readonly run: SyncRun;
  /** Plays newly stored. */
  readonly inserted: number;
  /** Plays received that were already stored. */
  readonly duplicates: number;
  /** The cursor after the poll. */
  readonly cursor: PlayCursor;
  /** The gap this poll detected, if any. */
  readonly gap: SyncGap | null;
  /** When to poll next (ms from now), from the recent play rate. */
  readonly recommendedIntervalMs: number;
  /** Advice for the user (e.g. import the data export to fill a gap), or null. */
  readonly suggestion: string | null;
}

/**
 * Where a gap can start: the later of the newest stored play and the last successful poll. A
 * poll saw every play that ended before it (up to the 50 it could hold), so after an outage of
 * the poller nothing before its last successful poll can be missing, however long the listener
 * had been idle before it.
 */
export function gapStart(cursor: Pick<PlayCursor, 'newestEndedAt' | 'lastPollAt'>): number | null {
  if (cursor.newestEndedAt === null) return null;
  return Math.max(cursor.newestEndedAt, cursor.lastPollAt ?? cursor.newestEndedAt);
}

/** Reads a user's play cursor (null before the first poll). */
export async function readPlayCursor(ctx: SyncContext, userId: string): Promise<PlayCursor | null> {
  const raw = await ctx.state.getValue(userId, PLAY_CURSOR_KEY);
  const parsed = cursorSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** One poll of `/me/player/recently-played`. See {@link Sync.syncRecentPlays}. */
export async function pollRecentPlays(
  ctx: SyncContext,
  user: MeteredUser,
  signal: AbortSignal | undefined,
): Promise<PollResult> {
  const { run, deferred } = await startRun(ctx, user, 'plays');
  const before = await readPlayCursor(ctx, user.id);
  const outcome: PollOutcome = {
    cursor: before ?? {
      newestEndedAt: null,
      lastPollAt: null,
      ratePerHour: null,
      trackedSince: null,
      trackedPlays: 0,
    },
    inserted: 0,
    duplicates: 0,
    gap: null,
  };
  if (!deferred) {
    try {
      await pollOnce(ctx, user, run, signal, outcome);
    } catch (error) {
      await run.fail(error);
      outcome.cursor = before ?? outcome.cursor;
    }
  }
  const { cursor, inserted, duplicates, gap } = outcome;
  const recommendedIntervalMs = nextPollInterval(ctx, run, cursor);
  run.details.recommendedIntervalMs = recommendedIntervalMs;
  return {
    run: await run.finish(),
    inserted,
    duplicates,
    cursor,
    gap,
    recommendedIntervalMs,
    suggestion: gap === null ? null : gapSuggestion(gap),
  };
}

/** What a poll has done so far (kept as it goes: a failure returns what was already written). */
interface PollOutcome {
  cursor: PlayCursor;
  inserted: number;
  duplicates: number;
  gap: SyncGap | null;
}

/** Fetches the plays after the cursor, stores them, records a gap, then moves the cursor. */
async function pollOnce(
  ctx: SyncContext,
  user: MeteredUser,
  run: RunRecorder,
  signal: AbortSignal | undefined,
  outcome: PollOutcome,
): Promise<void> {
  const cursor = outcome.cursor;
  const page = await user.client.getRecentlyPlayed({
    limit: RECENTLY_PLAYED_WINDOW,
    ...(cursor.newestEndedAt === null ? {} : { after: cursor.newestEndedAt }),
    signal,
  });
  const items: SpotifyPlayHistory[] = page.items;
  const now = ctx.now();
  const plays: Play[] = items
    .map((item) => playFromSpotify(item, user.id))
    .filter((p) => cursor.newestEndedAt === null || p.endedAt > cursor.newestEndedAt)
    .sort((a, b) => a.endedAt - b.endedAt);
  if (plays.length > 0) await storePolledPlays(ctx, user.id, items, plays, now, outcome);
  const gap = findGap(ctx, user.id, cursor, items, plays, now);
  if (gap !== null) {
    outcome.gap = gap;
    await ctx.state.addGap(gap);
    run.count('gaps');
    run.details.gapEstimatedMissed = gap.estimatedMissed;
  }
  outcome.cursor = advanceCursor(cursor, plays, outcome.inserted, now);
  // Written last: a crash before this line re-fetches plays the store deduplicates.
  await ctx.state.setValue(user.id, PLAY_CURSOR_KEY, outcome.cursor);
  run.added = outcome.inserted;
  run.details.duplicates = outcome.duplicates;
  run.details.received = items.length;
}

/** Stores the polled tracks and plays, and references the played tracks. */
async function storePolledPlays(
  ctx: SyncContext,
  userId: string,
  items: readonly SpotifyPlayHistory[],
  plays: readonly Play[],
  now: number,
  outcome: PollOutcome,
): Promise<void> {
  const batch = entityBatch();
  for (const item of items) addFullTrack(batch, item.track, now, false);
  // Entities first (idempotent upserts), then the plays; the cursor moves only after both.
  (await writeEntities(ctx.store, batch, ctx.known))();
  const result = await ctx.store.appendPlays(plays);
  outcome.inserted = result.inserted;
  outcome.duplicates = result.duplicates;
  const refs: TrackRef[] = [];
  for (const p of plays)
    if (p.trackId !== null) refs.push({ userId, trackId: p.trackId, ref: 'played' });
  await ctx.state.addTrackRefs(refs);
}

/**
 * The gap this poll reveals, or null: a full window after the cursor means plays older than the
 * oldest received may be gone.
 */
function findGap(
  ctx: SyncContext,
  userId: string,
  cursor: PlayCursor,
  items: readonly SpotifyPlayHistory[],
  plays: readonly Play[],
  now: number,
): SyncGap | null {
  const oldest = plays[0];
  const oldestReceived = Math.min(...items.map((item) => Date.parse(item.played_at)));
  const from = gapStart(cursor);
  if (
    from === null ||
    oldest === undefined ||
    items.length < RECENTLY_PLAYED_WINDOW ||
    !(oldestReceived > from) ||
    !(oldest.endedAt > from)
  ) {
    return null;
  }
  return {
    id: ctx.nextId(),
    userId,
    from,
    to: oldest.endedAt,
    estimatedMissed: estimateMissedPlays({
      from,
      to: oldest.endedAt,
      received: plays.map((p) => p.endedAt),
      averageRatePerHour:
        cursor.trackedSince !== null && now - cursor.trackedSince >= 86_400_000
          ? (cursor.trackedPlays * 3_600_000) / (now - cursor.trackedSince)
          : null,
    }),
    detectedAt: now,
    filledAt: null,
  };
}

/** The cursor after a successful poll that stored `inserted` of `plays`. */
function advanceCursor(
  cursor: PlayCursor,
  plays: readonly Play[],
  inserted: number,
  now: number,
): PlayCursor {
  const newest = plays.at(-1);
  return {
    trackedSince: cursor.trackedSince ?? now,
    trackedPlays: cursor.trackedPlays + inserted,
    newestEndedAt: Math.max(cursor.newestEndedAt ?? 0, newest?.endedAt ?? 0) || null,
    lastPollAt: now,
    ratePerHour: updatePlayRate({
      previous: cursor.ratePerHour,
      newPlays: plays.map((p) => p.endedAt),
      sinceMs: cursor.lastPollAt === null ? null : now - cursor.lastPollAt,
    }),
  };
}

/** When to poll next: when a rate limit lifts, else from the recent play rate. */
function nextPollInterval(ctx: SyncContext, run: RunRecorder, cursor: PlayCursor): number {
  const bounds = { minMs: ctx.options.plays.minIntervalMs, maxMs: ctx.options.plays.maxIntervalMs };
  return run.resumeAt !== null
    ? Math.max(bounds.minMs, run.resumeAt - ctx.now())
    : recommendPollInterval(cursor.ratePerHour ?? 0, bounds);
}

/** The advice given with a gap. */
function gapSuggestion(gap: SyncGap): string {
  return `About ${gap.estimatedMissed} plays between ${new Date(gap.from).toISOString()} and ${new Date(gap.to).toISOString()} are no longer in Spotify's last 50; import your data export (Account > Privacy > Extended streaming history) to fill the gap.`;
}
