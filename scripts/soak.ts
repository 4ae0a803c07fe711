/**
 * The full soak: `npm run soak` (or `npm run soak -- --quick`). Starts its own local stack,
 * runs hundreds of clients across rooms, prints the report and exits non-zero on any problem.
 */
import { localAwsConfig } from '../local/dynamodb-local.js';
import { FULL_SOAK, SHORT_SOAK, SOAK_ENV } from '../local/soak/settings.js';
import { soak } from '../local/soak/soak.js';
import { startLocalStack } from '../local/stack.js';
import { createDocumentClient, createStore } from '../src/store/index.js';

const quick = process.argv.includes('--quick');
process.env.AWS_LAMBDA_LOG_LEVEL ??= 'warn';
const stack = await startLocalStack({ port: 0, quiet: true, env: SOAK_ENV });
const client = createDocumentClient({ ...localAwsConfig, endpoint: stack.dynamoEndpoint });
const settings = quick ? SHORT_SOAK : FULL_SOAK;
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
