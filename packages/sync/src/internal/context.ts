import type { CatalogStore } from '@spoti/catalog';
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

/**
 * Starts a run's recorder; when an earlier run set a `resumeAt` still in the future, the run is
 * recorded as `deferred` straight away and `deferred` is true (no call is made).
 */
export async function startRun(
  ctx: SyncContext,
  user: SyncUser,
  kind: SyncRunKind,
): Promise<{ run: RunRecorder; deferred: boolean }> {
  const run = new RunRecorder(ctx.state, user.client, user.id, kind, ctx.now, ctx.nextId);
  const resumeAt = await pendingResume(ctx.state, user.id, ctx.now());
  if (resumeAt !== null) {
    run.status = 'deferred';
    run.resumeAt = resumeAt;
    return { run, deferred: true };
  }
  return { run, deferred: false };
}
