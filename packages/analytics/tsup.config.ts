import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.package.js';

// The importer's worker thread is its own entry, `dist/parse-worker.js` / `.cjs`, found next to
// the bundle that starts it.
export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', 'parse-worker': 'src/importer/parse-worker.ts' },
    dtsEntry: { index: 'src/index.ts' },
  }),
);
