import { defineConfig } from 'vitest/config';

/** Unit, database and contract tests. The e2e suites run under Playwright (tests/e2e, tests/e2e-electron). */
export default defineConfig({
  test: {
    include: ['tests/{unit,db,contract,sync,hub}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default in run mode is one worker fewer than the CPUs: one worker on the 2-core machines CI runs on.
    // Most of the slow files wait on child processes (the CLI, scanimage, the hub) or on the OCR worker thread, so two
    // workers use both cores (docs/testing.md).
    maxWorkers: 2,
  },
});
