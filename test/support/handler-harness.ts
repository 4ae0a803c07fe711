import type { Context } from 'aws-lambda';
import { beforeAll, beforeEach } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import type { WebSocketEvent } from '../../src/router/event.js';
import { lambdaContext } from './events.js';
import { useFakeAws } from './fake-aws.js';
import { useTable } from './table.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The real handler (`src/router/index.ts`) configured only through its environment, as Lambda
 * would: DynamoDB Local for the table, a fake `@connections` and Invoke API for the rest.
 */
export const useHandler = () => {
  const table = useTable();
  const aws = useFakeAws();
  let handler: Handler;
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
    ({ handler } = (await import('../../src/router/index.js')) as unknown as { handler: Handler });
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
  return { table, aws, invoke, runInvocations };
};
