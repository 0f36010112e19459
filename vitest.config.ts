import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    exclude: ['node_modules', 'e2e/**', 'data/**'],
    pool: 'forks',
    // Two cores; every database test file holds its own PGlite (~0.7 GB) or PostgreSQL database.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
