import { backgroundJobs } from '../jobs/background-jobs.js';
import { featureJobs } from '../jobs/feature-jobs.js';
import { JobRegistry, type JobModule } from './job-registry.js';

/**
 * The job modules every process (the server's embedded runner and each worker) loads. The
 * scheduler (`scheduler/plan.ts`) schedules only registered jobs.
 */
export const JOB_MODULES: readonly JobModule[] = [backgroundJobs, featureJobs];

/** A registry with every job of `modules` registered. */
export function createJobRegistry(modules: readonly JobModule[] = JOB_MODULES): JobRegistry {
  const registry = new JobRegistry();
  for (const module of modules) module.register(registry);
  return registry;
}
