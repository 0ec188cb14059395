import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-preload/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts', 'e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here and in CI: real renders compete for them, so files run two at a time at most.
    maxWorkers: 2,
    minWorkers: 1,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
