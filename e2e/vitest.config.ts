import { defineConfig } from 'vitest/config';

// The end-to-end tests drive one real Chromium against one real station: run them one at a time.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
