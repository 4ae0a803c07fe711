import { fileURLToPath } from 'node:url';
import { createTable, startDynamoDbLocal } from './dynamodb-local.js';
import { type EmulatorOptions, type RunningEmulator, start } from './emulator/index.js';

/** The chat's own handler, which `npm start` runs unless told otherwise. */
export const CHAT_HANDLER = `${fileURLToPath(new URL('../src/router/index.ts', import.meta.url))}#handler`;

/** The emulator's options, plus where DynamoDB and the table come from. */
export interface LocalStackOptions extends Omit<EmulatorOptions, 'handler' | 'env'> {
  /** Default: the chat's handler, `src/router/index.ts#handler`. */
  handler?: EmulatorOptions['handler'];
  /**
   * Extra environment for the handler. `ALLOWED_ORIGINS` defaults to the stack's own page origins
   * (http://127.0.0.1:PORT, http://localhost:PORT, ...), as `infra/` sets it to the site's.
   */
  env?: Record<string, string>;
  /** Keep DynamoDB data in this directory; in memory when absent. */
  dataDir?: string;
  /** Default `chat`. */
  tableName?: string;
  /** Use this DynamoDB (Local) instead of starting one; it is left running on `stop()`. */
  dynamoEndpoint?: string;
}

/** A running local stack: the URLs to connect to, and where its data lives. */
export interface LocalStack {
  httpUrl: string;
  wsUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  /** The emulator's runtime: `stats()` counts containers, cold starts and throttles. */
  runtime: RunningEmulator['runtime'];
  /** Closes every connection ($disconnect runs), then stops the emulator and DynamoDB Local. */
  stop(): Promise<void>;
}

/** How long `stop()` waits for connections and handlers before it stops DynamoDB Local anyway. */
const STOP_GRACE_MS = 10_000;

/**
 * Everything `npm start` runs: DynamoDB Local with the chat table, and the emulator running the
 * handler with the environment it has on AWS (table name, SDK endpoints, callback URL).
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const { dataDir, tableName = 'chat', dynamoEndpoint, handler = CHAT_HANDLER, ...rest } = options;
  const dynamo = dynamoEndpoint
    ? { endpoint: dynamoEndpoint, stop: async () => undefined }
    : await startDynamoDbLocal(dataDir ? { dataDir } : {});
  try {
    await createTable(dynamo.endpoint, tableName);
    const emulator = await start({
      ...rest,
      handler,
      env: ({ origins }) => ({
        TABLE_NAME: tableName,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        ALLOWED_ORIGINS: origins.join(','),
        ...rest.env,
      }),
    });
    let stopping: Promise<void> | undefined;
    const stop = async () => {
      try {
        await Promise.race([emulator.stop(), delay(STOP_GRACE_MS)]);
      } finally {
        await dynamo.stop();
      }
    };
    return {
      httpUrl: emulator.httpUrl,
      wsUrl: emulator.wsUrl,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      runtime: emulator.runtime,
      stop: () => {
        stopping ??= stop();
        return stopping;
      },
    };
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
};

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
