import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report feeds the closing "N passed, N failed" line of .ci/run.
    reporters: ['default', ['json', { outputFile: '.cache/vitest-report.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'actions/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/src/restore-env.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/src/global-setup.ts'],
          setupFiles: ['test/src/restore-env.ts', 'test/src/step-folders.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Bundles are separate processes; files in parallel keep both cores busy.
          pool: 'forks',
        },
      },
      {
        test: {
          // The whole pipeline through the local runner against the local staging environment
          // (test/src/staging): each file starts its own environment and resets it between scenarios.
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/src/restore-env.ts', 'test/src/step-folders.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          pool: 'forks',
          // A pipeline run mostly waits (polls, deadlines, servers): three files at once fit 2 cores.
          maxWorkers: 3,
          // After the unit and integration projects (vitest needs its own group for its own maxWorkers),
          // so the pipeline scenarios do not compete with the integration files for the two cores.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
