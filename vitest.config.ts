import { defineConfig } from 'vitest/config';

/** Unit, database and contract tests. The e2e suites run under Playwright (tests/e2e, tests/e2e-electron). */
export default defineConfig({
  test: {
    include: ['tests/{unit,db,contract,sync,hub}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
