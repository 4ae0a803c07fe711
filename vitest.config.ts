import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/plain-summary.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep DynamoDB Local and the files under test from starving each other.
    maxWorkers: 2,
    // Every test client comes from 127.0.0.1, so a network's limits would count a whole file's
    // clients as one sender; the tests of those limits set their own.
    env: {
      SOURCE_RATE_PER_SECOND: '0',
      SOURCE_CONNECTS_PER_MINUTE: '0',
      SOURCE_SOCKETS_MAX: '0',
      SOURCE_HISTORY_PER_MINUTE: '0',
      ROOM_NETWORK_SHARE: '0',
    },
  },
});
