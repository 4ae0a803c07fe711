import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

interface Shared {
  dynamo: Promise<DynamoDbLocal>;
  users: number;
}

// Vitest loads this file once per project that lists it (integration, e2e), each time as a new
// module; one Java process is enough for both, so the instance lives on the process instead.
const SHARED = Symbol.for('chat.test.dynamoDbLocal');
const store = globalThis as { [SHARED]?: Shared };

/** One DynamoDB Local for the whole run, whichever tiers it runs; each test file makes its own table. */
export default async function setup(project: TestProject) {
  store[SHARED] ??= { dynamo: startDynamoDbLocal(), users: 0 };
  const shared = store[SHARED];
  shared.users += 1;
  const dynamo = await shared.dynamo;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete store[SHARED];
    await dynamo.stop();
  };
}
