import { defineConfig } from 'vitest/config';

// Tests run on sources: the `@spoti/source` export condition points each workspace package
// at its `src/index.ts`, so no build is needed first.
export default defineConfig({
  resolve: { conditions: ['@spoti/source'] },
  ssr: { resolve: { conditions: ['@spoti/source'], externalConditions: ['@spoti/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
