/**
 * Handler-side fan-out: the real handler broadcasts one message to rooms of 100, 1,000 and
 * 5,000 members (registered in DynamoDB Local; posts answered by a local HTTP endpoint), and
 * the DynamoDB capacity one message consumes. Run: `npm run bench:broadcast` (`--quick`).
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createTable, localAwsConfig, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createContext } from '../local/emulator/context.js';
import { connectionFacts, messageEvent } from '../local/emulator/events.js';
import { createDeps } from '../src/deps.js';
import { createHandler } from '../src/router/create-handler.js';
import { createDocumentClient, createStore } from '../src/store/index.js';
import { meterDynamo } from './dynamo-meter.js';
import { startSink } from './sink.js';
import { printTable, round, summarize } from './stats.js';

const context = () =>
  createContext({
    functionName: 'bench',
    region: localAwsConfig.region,
    awsRequestId: randomUUID(),
    deadline: Date.now() + 28_000,
  });

const sendEvent = (connectionId: string, text: string) =>
  messageEvent(
    connectionFacts(connectionId),
    JSON.stringify({ action: 'sendmessage', message: text }),
  );

export const benchBroadcast = async ({ quick = false } = {}) => {
  const sizes = quick ? [100, 1_000] : [100, 1_000, 5_000];
  const messages = quick ? 3 : 10;
  process.env.AWS_LAMBDA_LOG_LEVEL ??= 'error';
  process.env.AWS_REGION ??= localAwsConfig.region;
  process.env.AWS_ACCESS_KEY_ID ??= localAwsConfig.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= localAwsConfig.credentials.secretAccessKey;
  const dynamo = await startDynamoDbLocal();
  const sink = await startSink();
  const tableName = 'bench-broadcast';
  await createTable(dynamo.endpoint, tableName);
  const client = createDocumentClient({ ...localAwsConfig, endpoint: dynamo.endpoint });
  const meter = meterDynamo(client);
  const store = createStore({ client, tableName });
  // The handler's own dependencies from its environment: one invocation posts to the whole room
  // (never split), no budget gets in the way; the store is the metered one.
  const deps = {
    ...createDeps({
      ...process.env,
      TABLE_NAME: tableName,
      CALLBACK_URL: sink.url,
      AWS_LAMBDA_FUNCTION_NAME: 'bench-broadcast',
      BROADCAST_CONCURRENCY: '50',
      FANOUT_MEMBERS_PER_WORKER: '0',
      RATE_LIMIT_PER_SECOND: '1000',
      RATE_LIMIT_BURST: '1000',
      ROOM_RATE_PER_SECOND: '0',
      SOURCE_RATE_PER_SECOND: '0',
    }),
    store,
  };
  const handler = createHandler(() => deps);
  const rows = [];
  try {
    for (const size of sizes) {
      const room = `room-${size}`;
      for (let i = 0; i < size; i += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, size - i) }, (_, n) =>
            store.saveConnection({
              connectionId: `${room}-${i + n}`,
              room,
              name: 'm',
              connectedAt: Date.now(),
            }),
          ),
        );
      }
      const times: number[] = [];
      meter.reset();
      const postsBefore = sink.posts();
      for (let m = 0; m < messages; m++) {
        const t0 = performance.now();
        await handler(sendEvent(`${room}-0`, `hello ${m}`), context());
        times.push(performance.now() - t0);
      }
      const stats = summarize(times);
      const { capacity } = meter.totals();
      const units = Object.values(capacity).reduce((a, b) => a + b, 0) / messages;
      rows.push({
        members: size,
        messages,
        'p50 ms': stats.p50,
        'max ms': stats.max,
        'posts/s': round((size * messages) / (times.reduce((a, b) => a + b, 0) / 1000), 0),
        'posts/msg': (sink.posts() - postsBefore) / messages,
        'capacity units/msg': round(units, 1),
        ...Object.fromEntries(
          Object.entries(capacity).map(([op, u]) => [`${op} units`, round(u / messages, 1)]),
        ),
      });
    }
  } finally {
    sink.stop();
    client.destroy();
    await dynamo.stop();
  }
  printTable('Broadcast: handler-side time to post one message to every member', rows);
  return rows;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchBroadcast({ quick: process.argv.includes('--quick') });
}
