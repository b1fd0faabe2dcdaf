import type { JobDeps } from '../../jobs/deps.js';
import { createBillingService } from './billing-service.js';

/** What a run of {@link studentLapsesJob} did. */
export interface StudentLapsesResult {
  /** Student subscriptions set to cancel at the end of their period in this run. */
  readonly cancelled: readonly string[];
}

/**
 * Job `billing-student-lapses` (hourly): a Student plan whose owner's verification of enrolment
 * has lapsed gives Free's entitlements at once; this stops Stripe renewing it, by setting
 * cancel-at-period-end on the subscription. Does nothing when billing is off. Safe to repeat.
 */
export async function studentLapsesJob(
  deps: JobDeps,
  _input: Record<string, never>,
): Promise<StudentLapsesResult> {
  if (deps.billing === undefined || deps.billing === null) return { cancelled: [] };
  const billing = createBillingService({
    config: { billing: deps.billing },
    database: deps.database,
    logger: deps.logger,
    clock: deps.clock,
  });
  return { cancelled: await billing.cancelLapsedStudentPlans() };
}
