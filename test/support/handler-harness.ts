import type { Context } from 'aws-lambda';
import { beforeAll, beforeEach } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import type { Deps } from '../../src/deps.js';
import type { WebSocketEvent } from '../../src/router/event.js';
import { lambdaContext } from './events.js';
import { useFakeAws } from './fake-aws.js';
import { useTable } from './table.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The real handler (as `src/router/index.ts` makes it) configured only through its environment,
 * as Lambda would: DynamoDB Local for the table, a fake `@connections` and Invoke API for the
 * rest. Its log lines are kept in `logs` (at the level `AWS_LAMBDA_LOG_LEVEL` sets), not printed.
 * `now`, when given, is the handler's clock (a test moves it), the store's included.
 */
export const useHandler = ({ now }: { now?: () => number } = {}) => {
  const table = useTable();
  const aws = useFakeAws();
  let handler: Handler;
  const logs: Record<string, unknown>[] = [];
  beforeAll(async () => {
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      CALLBACK_URL: aws.url,
      AWS_LAMBDA_FUNCTION_NAME: 'chat-test',
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: aws.url,
      AWS_REGION: localAwsConfig.region,
      AWS_ACCESS_KEY_ID: localAwsConfig.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localAwsConfig.credentials.secretAccessKey,
      AWS_LAMBDA_LOG_LEVEL: process.env.AWS_LAMBDA_LOG_LEVEL ?? 'silent',
    });
    // Imported once the environment is set, as Lambda loads the function after setting it.
    const { createDeps } = await import('../../src/deps.js');
    const { createHandler } = await import('../../src/router/create-handler.js');
    let deps: Deps | undefined;
    handler = createHandler(() => {
      deps ??= { ...createDeps(process.env, now), logTo: (line) => logs.push(JSON.parse(line)) };
      return deps;
    }) as unknown as Handler;
  });
  beforeEach(() => {
    aws.reset();
    // Fan-out workers run as Lambda would run them: the same handler, another invocation.
    aws.runSync = (payload) => handler(payload, lambdaContext());
  });
  const invoke = (event: WebSocketEvent | unknown, context = lambdaContext()) =>
    handler(event, context) as Promise<{ statusCode: number; body?: string } | undefined>;
  /** Runs the replay requests `$connect` sent to Lambda, as Lambda would. */
  const runInvocations = async () => {
    const pending = aws.invocations.splice(0);
    for (const payload of pending) await invoke(payload);
    return pending;
  };
  return { table, aws, invoke, runInvocations, logs };
};
