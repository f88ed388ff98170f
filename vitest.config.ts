import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests run in parallel; integration tests start real etcd,
// gRPC servers and agent processes, so they run one file at a time on CI's 2 cores.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
