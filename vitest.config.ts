import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// Tests run the collector from its TypeScript sources, not from a build that may be stale (the demo imports it by name);
// likewise the scanner's rule matcher (scanner/fixes.mjs imports the build, dist/rule-matcher.mjs).
const resolve = {
  alias: {
    '@minopio/consent-collector': fileURLToPath(new URL('./collector/src/index.ts', import.meta.url)),
    '../dist/rule-matcher.mjs': fileURLToPath(new URL('./src/rule-matcher.ts', import.meta.url)),
  },
}

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          environment: 'happy-dom',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/e2e/**', 'test/collector-*.test.ts', 'test/package.test.ts'],
          restoreMocks: true,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve,
        test: {
          // The consent-log collector against SQLite and a real PostgreSQL cluster the global setup starts.
          name: 'collector',
          environment: 'node',
          include: ['test/collector-*.test.ts'],
          globalSetup: ['test/collector-global-setup.ts'],
          // After the others: its SIGKILL load test saturates both cores, and the SDK's timing-sensitive tests
          // (fake clocks, 5 s unit timeouts) must not share them with it.
          sequence: { groupOrder: 2 },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // The packed tarball installed into a temp folder: TypeScript consumers and plain-Node imports (slow: npm).
          name: 'package',
          environment: 'node',
          include: ['test/package.test.ts'],
          sequence: { groupOrder: 3 },
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          // Each file drives its own Chromium; two cores fit two at a time.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // The 30 s stalls these tests used to show were Playwright's `networkidle` wait hanging for good (see
          // scripts/network-quiet.mjs), not the SDK: the tests now count requests themselves. One retry stays as a
          // guard against a starved 2-core VM; a real failure fails twice.
          retry: 1,
        },
      },
    ],
  },
})
