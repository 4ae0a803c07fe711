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

interface Scenario {
  name: string;
  writers: number;
  rooms: number;
  perWriter: number;
}

const throughputScenarios = (quick: boolean): Scenario[] => {
  const perWriter = quick ? 10 : 60;
  return [
    { name: '1 room, 1 writer', writers: 1, rooms: 1, perWriter },
    { name: '1 room, 8 writers', writers: 8, rooms: 1, perWriter },
    { name: '1 room, 32 writers', writers: 32, rooms: 1, perWriter },
    { name: '32 rooms, 32 writers', writers: 32, rooms: 32, perWriter },
  ];
};

const burstScenarios = (quick: boolean): Scenario[] => {
  const appends = quick ? 50 : 200;
  return [
    { name: `1 writer, ${appends} one after another`, writers: 1, rooms: 1, perWriter: appends },
    { name: `${appends} writers, 1 each at once`, writers: appends, rooms: 1, perWriter: 1 },
  ];
};

/** The one place an append's input is built. */
const newMessage = (room: string, id: string) => ({
  room,
  id,
  author: 'name:bench',
  sender: 'bench',
  text: `message ${id}`,
});

/** Runs one scenario on fresh rooms: each writer appends its messages one after another. */
const runScenario = async (
  endpoint: string,
  tableName: string,
  scenario: Scenario,
  key: string,
) => {
  const clients = await Promise.all(
    Array.from({ length: scenario.writers }, async () => {
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
      const room = `${key}-r${writer % scenario.rooms}`;
      for (let n = 0; n < scenario.perWriter; n++) {
        const t0 = performance.now();
        try {
          await store.appendMessage(newMessage(room, `w${writer}-${n}`));
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const client of clients) client.destroy();
  return { scenario, seconds, latencies, failed };
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
    const throughput = (await run(throughputScenarios(quick), 's')).map(
      ({ scenario, seconds, latencies, failed }) => ({
        scenario: scenario.name,
        appends: latencies.length,
        'appends/s': round(latencies.length / seconds, 0),
        'p50 ms': summarize(latencies).p50,
        'p99 ms': summarize(latencies).p99,
        'gave up': failed,
      }),
    );
    printTable('Store: append throughput and latency (DynamoDB Local)', throughput);
    const bursts = await run(burstScenarios(quick), 'b');
    const sequential = bursts[0]?.seconds ?? Number.NaN;
    const burst = bursts.map(({ scenario, seconds, latencies, failed }) => ({
      scenario: scenario.name,
      appends: latencies.length,
      seconds: round(seconds, 2),
      'p50 ms': summarize(latencies).p50,
      'p99 ms': summarize(latencies).p99,
      'gave up': failed,
      'x sequential': round(seconds / sequential, 2),
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
