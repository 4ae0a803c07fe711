/**
 * Appends against DynamoDB Local, every writer with its own SDK client (as separate Lambda
 * containers would be). Throughput: one busy room with 1, 8 and 32 concurrent writers, and 32
 * writers over 32 rooms. Burst: 200 appends to one room at the same instant from 200 clients,
 * beside the same 200 appends one after another by one writer.
 * Run: `npm run bench:store` (add `--quick` for a short run).
 */
import { pathToFileURL } from 'node:url';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createTable, localAwsConfig, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createDocumentClient, createStore } from '../src/store/index.js';
import { printTable, round, summarize } from './stats.js';

/** `writers` writers over `rooms` rooms, each appending `perWriter` messages one after another. */
type Scenario = [name: string, writers: number, rooms: number, perWriter: number];

const throughputScenarios = (perWriter: number): Scenario[] => [
  ['1 room, 1 writer', 1, 1, perWriter],
  ['1 room, 8 writers', 8, 1, perWriter],
  ['1 room, 32 writers', 32, 1, perWriter],
  ['32 rooms, 32 writers', 32, 32, perWriter],
];

const burstScenarios = (appends: number): Scenario[] => [
  [`1 writer, ${appends} one after another`, 1, 1, appends],
  [`${appends} writers, 1 each at once`, appends, 1, 1],
];

/** Runs one scenario on fresh rooms (`key`): each writer appends its messages one after another. */
const runScenario = async (
  endpoint: string,
  tableName: string,
  scenario: Scenario,
  key: string,
) => {
  const [name, writers, rooms, perWriter] = scenario;
  const clients = await Promise.all(
    Array.from({ length: writers }, async () => {
      const client = createDocumentClient({ ...localAwsConfig, endpoint });
      // A warm container: its socket to DynamoDB is open before the clock starts.
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return client;
    }),
  );
  const latencies: number[] = [];
  // An append that gives up (a writer starved in a busy room) is a result, not a crash.
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, writer) => {
      const store = createStore({ client, tableName });
      const room = `${key}-r${writer % rooms}`;
      for (let n = 0; n < perWriter; n++) {
        const id = `w${writer}-${n}`;
        const t0 = performance.now();
        try {
          await store.appendMessage({
            room,
            id,
            author: 'name:bench',
            sender: 'bench',
            text: `message ${id}`,
          });
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.destroy();
  const { p50, p99 } = summarize(latencies);
  return {
    scenario: name,
    appends: latencies.length,
    seconds,
    'p50 ms': p50,
    'p99 ms': p99,
    'gave up': failed,
  };
};

export const benchStore = async ({ quick = false } = {}) => {
  const dynamo = await startDynamoDbLocal();
  const tableName = 'bench-store';
  await createTable(dynamo.endpoint, tableName);
  const run = async (scenarios: Scenario[], prefix: string) => {
    const results = [];
    for (const [i, scenario] of scenarios.entries()) {
      results.push(await runScenario(dynamo.endpoint, tableName, scenario, `${prefix}${i}`));
    }
    return results;
  };
  try {
    const throughput = (await run(throughputScenarios(quick ? 10 : 60), 's')).map(
      ({ seconds, ...row }) => ({
        scenario: row.scenario,
        appends: row.appends,
        'appends/s': round(row.appends / seconds, 0),
        'p50 ms': row['p50 ms'],
        'p99 ms': row['p99 ms'],
        'gave up': row['gave up'],
      }),
    );
    printTable('Store: append throughput and latency (DynamoDB Local)', throughput);
    const bursts = await run(burstScenarios(quick ? 50 : 200), 'b');
    const sequential = bursts[0]?.seconds ?? Number.NaN;
    const burst = bursts.map((row) => ({
      ...row,
      seconds: round(row.seconds, 2),
      'x sequential': round(row.seconds / sequential, 2),
    }));
    printTable("Store: one room's burst beside the same appends one after another", burst);
    return { throughput, burst };
  } finally {
    await dynamo.stop();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchStore({ quick: process.argv.includes('--quick') });
}
