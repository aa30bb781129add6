import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          environment: 'node',
          // Web mode as it ships (`npm run web` runs the bundle): built once, before the tests that start it.
          globalSetup: ['tests/helpers/web-bundle.ts'],
          testTimeout: 20_000,
          // Both cores (vitest's default leaves one idle on a 2-core machine): the unit phase in about 8 minutes, not 11.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/web-bundle.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
          // Two files at a time (each its own web app and Chromium): the e2e phase in about half the time on 2 cores.
          maxWorkers: 2,
        },
      },
    ],
  },
});
