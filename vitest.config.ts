import { defineConfig } from 'vitest/config';
import { filesByTier } from './test/support/tiers.js';

// Each test file's tier follows from what it loads (see test/support/tiers.ts).
const tiers = filesByTier();
// Only the tiers that use DynamoDB Local start it; they share one (see the setup).
const dynamoDbLocal = ['test/support/global-setup.ts'];

export default defineConfig({
  test: {
    reporters: ['default', './test/support/plain-summary.ts'],
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
    // `npm test` runs the tiers one after another, the fastest first, so a broken unit shows at once.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: tiers.unit,
          // A fresh process per file would load aws-cdk-lib and warm up its synth again for each of
          // test/infra's files, most of this tier's time; unit files share their workers instead.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: tiers.integration,
          globalSetup: dynamoDbLocal,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: tiers.e2e,
          globalSetup: dynamoDbLocal,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
