import { parseArgs } from 'node:util';
import { decodeKey } from '../src/auth/connect-protocol.js';
import { DASHBOARD_PATH, POOL_DEFAULTS } from './emulator/index.js';
import { noteLauncher } from './launcher.js';
import { startLocalStack } from './stack.js';

const HELP = `Usage: npm start -- [options]

Runs the chat locally: DynamoDB Local, the handler behind an emulated API Gateway
WebSocket API, and the browser client, all on one port.

Options:
  --port N              HTTP and WebSocket port (default 3001, or $PORT; 0 picks a free one)
  --host ADDR           address to listen on (default 127.0.0.1; 0.0.0.0 opens the page and the
                        WebSocket to your network; Lambda Invoke and @connections, which check
                        no signature, answer this machine only)
  --allow-host NAME     answer requests for Host NAME (or NAME:PORT) too; repeatable. Others
                        than 127.0.0.1, localhost and [::1] are refused (DNS rebinding)
  --data DIR            keep DynamoDB data in DIR between runs (created if missing; default: in memory)
  --handler PATH#NAME   run another Lambda handler (default src/router/index.ts#handler)
  --review PATH#NAME    review every message and edit before it is stored with that export,
                        run as a second Lambda function (chat-review, REVIEW_FUNCTION); it
                        answers {"result":"ALLOW"}, {"result":"DENY","reason":…} or
                        {"result":"MODIFY","text":…}
  --moderator-key KEY   a connection offering this key (a page's localStorage "chat.key",
                        base64url of 32 bytes) may moderate every room; repeatable
                        (MODERATOR_KEYS)
  --batch-window MS     a busy room's messages within MS of its last delivery go out together,
                        one frame per member (default 50; 0 turns batching off: each message
                        is posted by its own invocation) (BATCH_WINDOW_MS)
  --concurrency N       invocations that may run at once, like reserved concurrency (default
                        100); past it, invocations are throttled as on Lambda
  --workers N           worker threads hosting the containers (default: the cores, ${POOL_DEFAULTS.workers}
                        here); more invocations than they hold wait their turn, fairly
  --containers-per-worker N
                        containers one worker thread hosts (default ${POOL_DEFAULTS.containersPerWorker})
  --in-process          run the handler on the emulator's own event loop, one shared container
                        (for a debugger); by default each concurrent invocation has its own
  --quiet               do not log each request
  -h, --help            show this help
`;

const fail = (message: string): never => {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
};

const parse = () => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        data: { type: 'string' },
        handler: { type: 'string' },
        review: { type: 'string' },
        'moderator-key': { type: 'string', multiple: true },
        'batch-window': { type: 'string' },
        concurrency: { type: 'string' },
        workers: { type: 'string' },
        'containers-per-worker': { type: 'string' },
        'in-process': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
};

const args = parse();
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
const portText = args.port ?? process.env.PORT ?? '3001';
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65_535) fail(`Not a port number: ${portText}`);

/** A flag's whole number of at least 1, or the default. */
const count = (flag: string, text: string | undefined, fallback: number) => {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    fail(`Not a ${flag} (a whole number of at least 1): ${text}`);
  }
  return Number(text);
};
const concurrency = count('concurrency', args.concurrency, 100);
const workers = count('number of workers', args.workers, POOL_DEFAULTS.workers);
const containersPerWorker = count(
  'number of containers per worker',
  args['containers-per-worker'],
  POOL_DEFAULTS.containersPerWorker,
);

const batchWindow = args['batch-window'];
if (batchWindow !== undefined && !/^\d+$/.test(batchWindow)) {
  fail(`Not a batch window (a whole number of ms, 0 for none): ${batchWindow}`);
}

const moderatorKeys = args['moderator-key'] ?? [];
for (const key of moderatorKeys) {
  if (decodeKey(key) === undefined) {
    fail(`Not a key (base64url of 32 bytes without padding, 43 characters): ${key}`);
  }
}

// Noted before start-up: a launcher killed meanwhile would no longer show among the ancestors.
const launcher = noteLauncher();
const began = performance.now();
// Browser origins allowed to connect: the shell's ALLOWED_ORIGINS, else the stack's own pages.
const allowedOrigins = process.env.ALLOWED_ORIGINS;
// Moderators: the shell's MODERATOR_KEYS and every --moderator-key.
const moderators = [process.env.MODERATOR_KEYS ?? '', ...moderatorKeys].filter(Boolean).join(',');
const env = {
  ...(allowedOrigins === undefined ? {} : { ALLOWED_ORIGINS: allowedOrigins }),
  ...(moderators ? { MODERATOR_KEYS: moderators } : {}),
  ...(batchWindow === undefined ? {} : { BATCH_WINDOW_MS: batchWindow }),
};
const stack = await startLocalStack({
  port,
  quiet: args.quiet ?? false,
  ...(args.host ? { host: args.host } : {}),
  ...(args['allow-host'] ? { allowedHosts: args['allow-host'] } : {}),
  ...(Object.keys(env).length > 0 ? { env } : {}),
  ...(args.data ? { dataDir: args.data } : {}),
  ...(args.handler ? { handler: args.handler } : {}),
  ...(args.review ? { review: args.review } : {}),
  concurrency,
  workers,
  containersPerWorker,
  ...(args['in-process'] ? { runtime: 'in-process' as const } : {}),
}).catch((error: unknown) => {
  const text = error instanceof Error ? error.message : String(error);
  const inUse = (error as { code?: string })?.code === 'EADDRINUSE';
  console.error(inUse ? `Port ${port} is in use; choose another with --port N or PORT=N.` : text);
  process.exit(1);
});
const seconds = ((performance.now() - began) / 1000).toFixed(1);

console.log(`
Chat is ready in ${seconds} s
  Browser     ${stack.httpUrl}/
  Dashboard   ${stack.httpUrl}${DASHBOARD_PATH} (the handler's metrics, live)
  WebSocket   ${stack.wsUrl}
  DynamoDB    ${stack.dynamoEndpoint} (table "${stack.tableName}", ${args.data ? `data in ${args.data}` : 'in memory'})${args.review ? `\n  Review      ${args.review} (the Lambda function chat-review)` : ''}

Chat from a terminal:
  npx wscat -c "${stack.wsUrl}/?room=general&name=alice"
  > {"action":"sendmessage","message":"hello"}

Press Ctrl-C to stop.
`);

let stopping = false;
const shutdown = (cause: string) => {
  // A terminal's Ctrl-C reaches npm, tsx and this process alike, and they relay it: once is enough.
  if (stopping) return;
  stopping = true;
  console.log(`\n${cause}: stopping...`);
  stack.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Stopping failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));
launcher.watch(() => shutdown('The command that started the chat exited'));
