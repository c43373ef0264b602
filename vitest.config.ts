import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Many files wait on child processes (servers, browsers, CLIs): two workers keep both cores busy.
    maxWorkers: 2,
  },
});
