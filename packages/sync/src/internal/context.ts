import type { CatalogStore } from '@spoti/catalog';
import type { CallUsage } from '@spoti/client';
import type { ResolvedSyncOptions, SyncUser } from '../sync/options.js';
import type { SyncRunKind, SyncStateStore } from '../state/sync-state-store.js';
import type { KnownEntities } from './entities.js';
import { RunRecorder, pendingResume } from './run-recorder.js';

/** What every sync operation shares. */
export interface SyncContext {
  readonly store: CatalogStore;
  readonly state: SyncStateStore;
  readonly options: ResolvedSyncOptions;
  readonly now: () => number;
  readonly nextId: () => string;
  readonly known: KnownEntities;
}

/** A user whose client counts the current operation's calls (see `SpotifyClient.measure`). */
export type MeteredUser = SyncUser & { readonly usage: CallUsage };

/**
 * Runs one operation for `user` with its calls counted for it alone, so runs that overlap on
 * one client each log their own calls, retries and 429s.
 */
export async function metered<T>(
  user: SyncUser,
  fn: (user: MeteredUser) => Promise<T>,
): Promise<T> {
  const { value } = await user.client.measure((usage) => fn({ ...user, usage }));
  return value;
}

/**
 * Starts a run's recorder; when an earlier run set a `resumeAt` still in the future, the run is
 * recorded as `deferred` straight away and `deferred` is true (no call is made).
 */
export async function startRun(
  ctx: SyncContext,
  user: MeteredUser,
  kind: SyncRunKind,
): Promise<{ run: RunRecorder; deferred: boolean }> {
  const run = new RunRecorder(ctx.state, user.usage, user.id, kind, ctx.now, ctx.nextId);
  const resumeAt = await pendingResume(ctx.state, user.id, ctx.now());
  if (resumeAt !== null) {
    run.status = 'deferred';
    run.resumeAt = resumeAt;
    return { run, deferred: true };
  }
  return { run, deferred: false };
}
