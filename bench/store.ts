/**
 * Append throughput and latency against DynamoDB Local: one busy room with 1, 8 and 32
 * concurrent writers (separate SDK clients, as separate Lambda containers), and 32 writers over
 * 32 rooms. Run: `npm run bench:store` (add `--quick` for a short run).
 */
import { pathToFileURL } from 'node:url';
import { createTable, localAwsConfig, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { createDocumentClient, createStore } from '../src/store/index.js';
import { printTable, round, summarize } from './stats.js';

interface Scenario {
  name: string;
  writers: number;
  rooms: number;
}

const SCENARIOS: Scenario[] = [
  { name: '1 room, 1 writer', writers: 1, rooms: 1 },
  { name: '1 room, 8 writers', writers: 8, rooms: 1 },
  { name: '1 room, 32 writers', writers: 32, rooms: 1 },
  { name: '32 rooms, 32 writers', writers: 32, rooms: 32 },
];

export const benchStore = async ({ quick = false } = {}) => {
  const perWriter = quick ? 10 : 60;
  const dynamo = await startDynamoDbLocal();
  const tableName = 'bench-store';
  await createTable(dynamo.endpoint, tableName);
  const rows = [];
  try {
    for (const [index, scenario] of SCENARIOS.entries()) {
      const stores = Array.from({ length: scenario.writers }, () =>
        createStore({
          client: createDocumentClient({ ...localAwsConfig, endpoint: dynamo.endpoint }),
          tableName,
        }),
      );
      const latencies: number[] = [];
      // An append that gives up (a writer starved in a busy room) is a result, not a crash.
      let failed = 0;
      const started = performance.now();
      await Promise.all(
        stores.map(async (store, writer) => {
          const room = `s${index}-r${writer % scenario.rooms}`;
          for (let n = 0; n < perWriter; n++) {
            const t0 = performance.now();
            try {
              await store.appendMessage({
                room,
                author: 'name:bench',
                sender: 'bench',
                text: `m${n}`,
              });
              latencies.push(performance.now() - t0);
            } catch {
              failed++;
            }
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const stats = summarize(latencies);
      rows.push({
        scenario: scenario.name,
        appends: latencies.length,
        'appends/s': round(latencies.length / seconds, 0),
        'p50 ms': stats.p50,
        'p99 ms': stats.p99,
        'gave up': failed,
      });
    }
  } finally {
    await dynamo.stop();
  }
  printTable('Store: append throughput and latency (DynamoDB Local)', rows);
  return rows;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchStore({ quick: process.argv.includes('--quick') });
}
