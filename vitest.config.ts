import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test runs behind the air-gap guard: no socket or DNS lookup beyond loopback.
    setupFiles: ['test/setup/no-egress.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
