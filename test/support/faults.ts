import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { createHandler } from '../../src/router/create-handler.js';
import { createDocumentClient, createStore } from '../../src/store/index.js';
import { testDeps } from './deps.js';
import type { FakeAws } from './fake-aws.js';
import type { TestTable } from './table.js';

type Fault = 'before' | 'after';

/** An error shaped like the ones the SDK's deserializer throws for a service error. */
export const serviceError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} (injected)`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    ...extra,
  });

/**
 * Injects faults into a real SDK client with middleware, inside the SDK's retry loop (the
 * `deserialize` step): `before` fails the request without sending it, `after` sends it (DynamoDB
 * Local really executes it) and then fails, as a lost response would.
 */
export const injectFault = (
  client: DynamoDBDocumentClient,
  command: string,
  times: number,
  error: () => Error,
  when: Fault = 'before',
) => {
  let remaining = times;
  let seen = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== command || remaining <= 0) return next(args);
      seen++;
      remaining--;
      if (when === 'after') await next(args);
      throw error();
    },
    { step: 'deserialize', name: `fault-${command}-${Math.random()}` },
  );
  return { injected: () => seen };
};

/** The real handler with its own DynamoDB client, so a test can put faults on that client. */
export const faultyHandler = (table: TestTable, aws: FakeAws) => {
  const client = createDocumentClient({
    ...localAwsConfig,
    endpoint: table.endpoint,
    maxAttempts: 3,
  });
  const store = createStore({ client, tableName: table.tableName });
  const deps = testDeps({
    store,
    api: createConnectionsApi(aws.url, 20),
    broadcastConcurrency: 20,
    limits: { connection: { perSecond: 100, burst: 100 }, history: { perSecond: 10, burst: 300 } },
  });
  const handler = createHandler(() => deps);
  return { client, store, handler };
};
