import { defineConfig } from 'vitest/config';

// Projects: pure unit tests run in parallel; integration tests drive real
// sshd, cgroups and OOM kills on this machine, so they (and e2e) run one file at a
// time, and the groups run one after another so real kills never overlap.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The built renderer in Debian's Chromium against the real engine (one file at a time).
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          // expect.poll waits on visible state in the page; real connects and probes take seconds.
          expect: { poll: { timeout: 20_000, interval: 50 } },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
