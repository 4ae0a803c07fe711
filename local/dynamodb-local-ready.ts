import type { ChildProcess } from 'node:child_process';
import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { explainDynamoDbLocalExit } from './dynamodb-local-failure.js';

/**
 * Resolves once DynamoDB Local answers `ListTables`; rejects, saying what to do, when it exits
 * first, answers with an error, or stays silent for 30 s.
 */
export const waitUntilAnswering = async (
  endpoint: string,
  child: ChildProcess,
  output: () => string,
  where: { port: number; dataDir: string | undefined },
  config: DynamoDBClientConfig,
) => {
  const client = new DynamoDBClient({
    ...config,
    endpoint,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 5_000 },
  });
  // 'close' comes after its output has all arrived. A probe in flight (to whatever else holds the
  // port, say) must not outlast Java.
  let exited: Error | undefined;
  const closed = new Promise<false>((resolve) => {
    child.once('close', (code) => {
      exited = new Error(explainDynamoDbLocalExit(code, output(), where));
      resolve(false);
    });
  });
  const deadline = Date.now() + 30_000;
  try {
    while (Date.now() < deadline) {
      if (exited) throw exited;
      try {
        const probe = client.send(new ListTablesCommand({ Limit: 1 })).then(() => true);
        probe.catch(() => undefined);
        if (await Promise.race([probe, closed])) return;
      } catch (error) {
        // An HTTP answer that is an error: it is up, and broken (unreadable data, for one).
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
        if (status?.httpStatusCode !== undefined) {
          const said = `${output()}\nListTables answered ${status.httpStatusCode}: ${String(error)}`;
          throw new Error(explainDynamoDbLocalExit(null, said, where));
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const hint = where.dataDir ? explainDynamoDbLocalExit(null, output(), where) : output();
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${hint}`);
  } finally {
    client.destroy();
  }
};
