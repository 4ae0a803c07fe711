import { createTable, deleteTable, localAwsConfig } from '../../local/dynamodb-local.js';
import { createDocumentClient, createStore } from '../../src/store/index.js';

/**
 * Warms a fresh DynamoDB Local up before anything is measured on it: its JVM needs about a
 * thousand requests of each kind before a message's requests take their steady time (about
 * 25 ms for a message's writes and reads cold, 12 ms warm, sequentially, on the bench machine).
 * Every target then meets the same warm engine. Uses a scratch table, deleted afterwards.
 */
export const warmDynamo = async (endpoint: string, messages = 1_500) => {
  const tableName = 'bench-warm-up';
  await createTable(endpoint, tableName);
  const client = createDocumentClient({ ...localAwsConfig, endpoint });
  const store = createStore({ client, tableName });
  const rate = { perSecond: 1_000_000, burst: 1_000_000 };
  try {
    // Ten writers at a time, as a room's senders would be.
    await Promise.all(
      Array.from({ length: 10 }, async (_, writer) => {
        const connectionId = `warm-${writer}`;
        await store.saveConnection({
          connectionId,
          room: 'warm',
          name: connectionId,
          connectedAt: Date.now(),
        });
        for (let n = 0; n < messages / 10; n++) {
          await store.admit(connectionId, { budget: 'frames', rate }, Date.now());
          await store.appendMessage({
            room: 'warm',
            id: `${writer}-${n}`,
            author: `name:${connectionId}`,
            sender: connectionId,
            text: 'warming up',
          });
          await store.sampleMembers('warm', 501);
          if (n % 10 === 0) await store.readAfter('warm', 0, 50);
        }
      }),
    );
  } finally {
    client.destroy();
    await deleteTable(endpoint, tableName);
  }
};
