import { isSpotifyError, isSpotifyRateLimitError } from '@spoti/client';
import type { ArtistCursor, SweepFailure, SweepReport, SweepStop } from '../domain/types.js';
import {
  callsDayKey,
  cursorAfterFailure,
  sweepCallBudget,
  sweepStop,
} from '../logic/sweep-plan.js';
import { type SweepContext, scanArtist } from './scan-artist.js';

/** The fields of a report every sweep fills the same way. */
type ReportHead = Pick<SweepReport, 'id' | 'startedAt' | 'artistsWatched' | 'artistsDue'>;

/** What the scans of one sweep add up to; the workers share and update it. */
interface Tally {
  calls: number;
  scanned: number;
  releasesFound: number;
  editionsFound: number;
  stop: SweepStop | null;
  resumeAt: number | null;
  readonly failures: SweepFailure[];
  /** Index of the next cursor to scan. */
  next: number;
}

function errorText(error: unknown): { code: string; message: string } {
  if (isSpotifyError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'unknown', message: error.message };
  return { code: 'unknown', message: String(error) };
}

async function saveReport(
  ctx: SweepContext,
  head: ReportHead,
  fields: Omit<SweepReport, keyof ReportHead | 'finishedAt'>,
): Promise<SweepReport> {
  const report: SweepReport = {
    id: head.id,
    startedAt: head.startedAt,
    finishedAt: ctx.now(),
    artistsWatched: head.artistsWatched,
    artistsDue: head.artistsDue,
    ...fields,
  };
  await ctx.store.saveReport(report);
  return report;
}

/** Records a failed scan in the tally and, unless it was aborted, in the artist's cursor. */
async function recordFailure(
  ctx: SweepContext,
  tally: Tally,
  cursor: ArtistCursor,
  error: unknown,
): Promise<void> {
  const { code, message } = errorText(error);
  const now = ctx.now();
  const aborted = isSpotifyError(error) && error.code === 'ABORTED';
  if (isSpotifyRateLimitError(error)) {
    tally.failures.push({ artistId: cursor.artistId, code, message, scope: error.scope });
    tally.resumeAt = Math.max(tally.resumeAt ?? 0, error.resumeAt);
    if (tally.stop === null) tally.stop = 'rate_limited';
  } else if (aborted) {
    tally.stop = 'aborted';
  } else {
    tally.failures.push({ artistId: cursor.artistId, code, message });
  }
  if (!aborted) {
    await ctx.store.putCursor(
      cursorAfterFailure(cursor, { code, message }, now, ctx.options.artistIntervalMs),
    );
  }
}

/** Scans cursors in order until they run out, the budget would be passed, or the sweep stops. */
async function work(
  ctx: SweepContext,
  tally: Tally,
  cursors: readonly ArtistCursor[],
  budget: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const perArtist = ctx.options.groups.length;
  while (tally.stop === null) {
    if (signal?.aborted) {
      tally.stop = 'aborted';
      return;
    }
    const cursor = cursors[tally.next];
    if (cursor === undefined) return;
    if (tally.calls + perArtist > budget) {
      tally.stop = 'budget';
      return;
    }
    tally.next += 1;
    try {
      const found = await scanArtist(ctx, cursor, signal, () => {
        tally.calls += 1;
      });
      tally.scanned += 1;
      tally.releasesFound += found.releases;
      tally.editionsFound += found.editions;
    } catch (error) {
      await recordFailure(ctx, tally, cursor, error);
    }
  }
}

/**
 * Runs `concurrency` workers over the cursors and returns the tally with the sweep's own HTTP
 * attempts, even when other work shares the client; a client that cannot measure reports the
 * pages asked for.
 */
async function scanAll(
  ctx: SweepContext,
  cursors: readonly ArtistCursor[],
  budget: number,
  signal: AbortSignal | undefined,
): Promise<{ tally: Tally; httpAttempts: number }> {
  const tally: Tally = {
    calls: 0,
    scanned: 0,
    releasesFound: 0,
    editionsFound: 0,
    stop: null,
    resumeAt: null,
    failures: [],
    next: 0,
  };
  const workers = async () => {
    await Promise.all(
      Array.from({ length: ctx.options.concurrency }, () =>
        work(ctx, tally, cursors, budget, signal),
      ),
    );
  };
  const client = ctx.options.client;
  if (client.measure === undefined) {
    await workers();
    return { tally, httpAttempts: tally.calls };
  }
  const measured = await client.measure(workers);
  return { tally, httpAttempts: measured.usage.calls };
}

/**
 * One sweep (see `ReleaseWatcher.sweep`): returns at once while a rate limit's `resumeAt` lies
 * ahead, else scans the due artists within the call budget, counts the day's calls, keeps a new
 * `resumeAt`, and saves and returns the report.
 */
export async function runSweep(
  ctx: SweepContext,
  signal: AbortSignal | undefined,
): Promise<SweepReport> {
  const startedAt = ctx.now();
  const head: ReportHead = {
    id: `sweep-${startedAt}`,
    startedAt,
    artistsWatched: await ctx.store.countWatchedArtists(),
    artistsDue: await ctx.store.countDueArtists(startedAt),
  };
  const due = head.artistsDue;
  const resumeAtMeta = await ctx.store.getMeta('resumeAt');
  if (typeof resumeAtMeta === 'number' && resumeAtMeta > startedAt) {
    return saveReport(ctx, head, {
      artistsScanned: 0,
      artistsDeferred: due,
      failures: [],
      releasesFound: 0,
      editionsFound: 0,
      calls: 0,
      httpAttempts: 0,
      callBudget: 0,
      stoppedBy: 'rate_limited',
      resumeAt: resumeAtMeta,
    });
  }
  const dayKey = callsDayKey(startedAt);
  const usedToday = Number((await ctx.store.getMeta(dayKey)) ?? 0);
  const budget = sweepCallBudget(ctx.options.budget, usedToday);
  const perArtist = ctx.options.groups.length;
  const cursors = await ctx.store.listDueArtists(startedAt, Math.floor(budget / perArtist));
  const { tally, httpAttempts } = await scanAll(ctx, cursors, budget, signal);
  await ctx.store.setMeta(dayKey, usedToday + tally.calls);
  if (tally.resumeAt !== null) await ctx.store.setMeta('resumeAt', tally.resumeAt);
  return saveReport(ctx, head, {
    artistsScanned: tally.scanned,
    artistsDeferred: Math.max(0, due - tally.scanned),
    failures: tally.failures,
    releasesFound: tally.releasesFound,
    editionsFound: tally.editionsFound,
    calls: tally.calls,
    httpAttempts,
    callBudget: budget,
    stoppedBy: sweepStop(tally.stop, cursors.length, due),
    resumeAt: tally.resumeAt,
  });
}
