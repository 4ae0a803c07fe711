import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { deleteTable, localAwsConfig } from '../../local/dynamodb-local.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';
import { createDocumentClient, createStore, type Store } from '../../src/store/index.js';

/**
 * The real chat for a test file (or describe block): the handler behind the emulator, on its own
 * table in the run's DynamoDB Local, serving `client.html`. Started before the tests;
 * `runtime` as `startLocalStack` takes it (containers unless told `in-process`), a `review`
 * module as the emulator's review function, and a `handler` instead of the chat's own (a
 * function runs in-process).
 */
export const useChatServer = (
  env: Record<string, string> = {},
  { runtime, review, handler }: Pick<LocalStackOptions, 'runtime' | 'review' | 'handler'> = {},
) => {
  let stack: LocalStack | undefined;
  let store: Store | undefined;
  let client: ReturnType<typeof createDocumentClient> | undefined;
  // The store's clock: `seed` sets it to space its messages a minute apart.
  let clock: number | undefined;
  const running = () => {
    if (!stack || !store) throw new Error('the chat server has not started');
    return { stack, store };
  };
  beforeAll(async () => {
    const dynamoEndpoint = inject('dynamoEndpoint');
    const tableName = `chat-client-${randomUUID().slice(0, 8)}`;
    stack = await startLocalStack({
      port: 0,
      quiet: true,
      dynamoEndpoint,
      tableName,
      env,
      ...(runtime ? { runtime } : {}),
      ...(review ? { review } : {}),
      ...(handler ? { handler } : {}),
    });
    client = createDocumentClient({ ...localAwsConfig, endpoint: dynamoEndpoint });
    store = createStore({ client, tableName, now: () => clock ?? Date.now() });
  });
  afterAll(async () => {
    await stack?.stop();
    if (stack) await deleteTable(stack.dynamoEndpoint, stack.tableName);
    client?.destroy();
  });
  return {
    get store() {
      return running().store;
    },
    /** The document client on the run's DynamoDB Local, to write items the way the store does. */
    get client() {
      if (!client) throw new Error('the chat server has not started');
      return client;
    },
    get tableName() {
      return running().stack.tableName;
    },
    get dynamoEndpoint() {
      return running().stack.dynamoEndpoint;
    },
    get wsUrl() {
      return running().stack.wsUrl;
    },
    /** The client as the emulator serves it, with these query parameters. */
    pageUrl: (params: Record<string, string>) =>
      `${running().stack.httpUrl}/?${new URLSearchParams(params)}`,
    /** Appends `count` messages ("message 1", "message 2", …) to a room's log, oldest first. */
    async seed(room: string, count: number, sender = 'archivist') {
      const start = Date.now() - count * 60_000;
      try {
        for (let i = 1; i <= count; i++) {
          clock = start + i * 60_000;
          await running().store.appendMessage({
            room,
            id: `seed-${i}`,
            author: `name:${sender}`,
            sender,
            text: `message ${i}`,
          });
        }
      } finally {
        clock = undefined;
      }
    },
  };
};
