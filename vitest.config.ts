import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/e2e/**', 'test/collector-*.test.ts'],
          restoreMocks: true,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          // The consent-log collector against SQLite and a real PostgreSQL cluster the global setup starts.
          name: 'collector',
          environment: 'node',
          include: ['test/collector-*.test.ts'],
          globalSetup: ['test/collector-global-setup.ts'],
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          // Each file drives its own Chromium; two cores fit two at a time.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
