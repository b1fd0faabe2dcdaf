import { studentLapsesJob } from '../api/billing/student-lapses-job.js';
import { mediaRenditionsJob } from '../api/media/renditions-job.js';
import type { JobModule } from '../runner/job-registry.js';
import { refreshPlaylistsJob } from './playlists.js';
import { releaseDigestsJob, releaseSweepJob } from './releases.js';

/**
 * The jobs of the server's features, for the scheduler and the worker: smart-playlist refresh
 * (daily at 10:00 local and after a library sync), the release sweep and digests (daily), and the
 * audio renditions of an uploaded song, and the hourly stop of Student plans whose verification
 * lapsed. Each is safe to repeat.
 */
export const featureJobs: JobModule = {
  name: 'features',
  register(registry) {
    registry
      .register({ name: 'playlists-refresh', run: refreshPlaylistsJob, spotify: true, attempts: 3 })
      .register({ name: 'release-sweep', run: releaseSweepJob, spotify: true, attempts: 3 })
      .register({ name: 'release-digests', run: releaseDigestsJob, attempts: 5 })
      .register({ name: 'media-renditions', run: mediaRenditionsJob, attempts: 3 })
      .register({ name: 'billing-student-lapses', run: studentLapsesJob, attempts: 3 });
  },
};
