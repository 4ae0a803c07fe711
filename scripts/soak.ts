/**
 * The full soak: `npm run soak` (or `npm run soak -- --quick`). Starts its own local stack,
 * runs hundreds of clients across rooms, prints the report and exits non-zero on any problem.
 */
import { localAwsConfig } from '../local/dynamodb-local.js';
import { soak } from '../local/soak/soak.js';
import { startLocalStack } from '../local/stack.js';
import { createDocumentClient, createStore } from '../src/store/index.js';

const quick = process.argv.includes('--quick');
process.env.AWS_LAMBDA_LOG_LEVEL ??= 'warn';
const stack = await startLocalStack({
  port: 0,
  quiet: true,
  env: {
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_BURST: '1000',
    // One machine plays every client: its address would be one network over its limits.
    SOURCE_RATE_PER_SECOND: '0',
    SOURCE_CONNECTS_PER_MINUTE: '0',
    SOURCE_HISTORY_PER_MINUTE: '0',
  },
});
const client = createDocumentClient({ ...localAwsConfig, endpoint: stack.dynamoEndpoint });
const settings = quick
  ? {
      rooms: 3,
      clients: 30,
      senders: 6,
      typists: 3,
      messages: 240,
      dropsPerSecond: 10,
      deadlineMs: 90_000,
    }
  : {
      rooms: 8,
      clients: 300,
      senders: 40,
      typists: 16,
      messages: 4_000,
      dropsPerSecond: 10,
      deadlineMs: 600_000,
    };
try {
  console.log('soak:', JSON.stringify(settings));
  const report = await soak({
    wsUrl: stack.wsUrl,
    store: createStore({ client, tableName: stack.tableName }),
    ...settings,
  });
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = report.problems.length === 0 ? 0 : 1;
} finally {
  client.destroy();
  await stack.stop();
}
