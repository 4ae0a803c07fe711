import { randomUUID } from 'node:crypto';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { createTable, deleteTable, localAwsConfig } from '../../local/dynamodb-local.js';
import { createDocumentClient, createStore, type Store } from '../../src/store/index.js';

export interface TestTable {
  endpoint: string;
  tableName: string;
  client: ReturnType<typeof createDocumentClient>;
  store: Store;
}

/** A fresh table in the run's DynamoDB Local for this test file, dropped afterwards. */
export const useTable = (): TestTable => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `chat-test-${randomUUID().slice(0, 8)}`;
  const client = createDocumentClient({ ...localAwsConfig, endpoint });
  const table: TestTable = {
    endpoint,
    tableName,
    client,
    store: createStore({ client, tableName }),
  };
  beforeAll(() => createTable(endpoint, tableName));
  afterAll(async () => {
    await deleteTable(endpoint, tableName);
    client.destroy();
  });
  return table;
};

/**
 * A separate SDK client and store on the same table, as another Lambda container would have,
 * optionally with its own clock.
 */
export const anotherContainer = ({ endpoint, tableName }: TestTable, now?: () => number) => {
  const client = createDocumentClient({ ...localAwsConfig, endpoint });
  return { client, store: createStore({ client, tableName, ...(now ? { now } : {}) }) };
};

/** Another container's store (see `anotherContainer`). */
export const anotherStore = (table: TestTable, now?: () => number) =>
  anotherContainer(table, now).store;

/** Appends `count` messages to a room's log, oldest first, as `bob`. */
export const seedRoom = async (
  store: Store,
  room: string,
  count: number,
  text: (n: number) => string = (n) => `m${n}`,
) => {
  for (let n = 1; n <= count; n++) {
    await store.appendMessage({ room, author: 'name:bob', sender: 'bob', text: text(n) });
  }
};

/** Every item of a room's partition, as stored. */
export const roomItems = async ({ client, tableName }: TestTable, room: string) => {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `ROOM#${room}` },
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
};
