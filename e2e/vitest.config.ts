import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.e2e.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Pages wait on live provider calls: give polled expectations time on a loaded 2-core machine.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
