import { backgroundJobs } from '../jobs/background-jobs.js';
import { JobRegistry, type JobModule } from './job-registry.js';

/**
 * The job modules every process (the server's embedded runner and each worker) loads. A module
 * that adds jobs (release sweep and digests, smart playlists) is listed here; the schedule of
 * its jobs (`scheduler/plan.ts`) then becomes active, since the scheduler skips unregistered
 * jobs.
 */
export const JOB_MODULES: readonly JobModule[] = [backgroundJobs];

/** A registry with every job of `modules` registered. */
export function createJobRegistry(modules: readonly JobModule[] = JOB_MODULES): JobRegistry {
  const registry = new JobRegistry();
  for (const module of modules) module.register(registry);
  return registry;
}
