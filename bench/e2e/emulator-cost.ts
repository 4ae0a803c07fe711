/**
 * What one `@connections` POST costs the emulator's CPU: the emulator (with a handler that only
 * accepts connections) runs in this process; a child process holds the WebSocket clients and
 * posts to them with plain `node:http` (a fixed SigV4-shaped `Authorization`, which the emulator
 * requires but does not verify; nothing is signed), so this process's CPU clock sees only the
 * answering side (parse, find the connection, send the frame, answer 200). The sink (HTTP 200,
 * nothing sent) is the floor for answering an HTTP request at all.
 * Run: `npx tsx bench/e2e/emulator-cost.ts [--posts=20000] [--clients=1000]`.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { start } from '../../local/emulator/index.js';
import { postMany, startSink, unsignedPoster } from '../sink.js';
import { option, printTable, round } from '../stats.js';

const posts = Number(option('posts') ?? 20_000);
const clients = Number(option('clients') ?? 1_000);

const AUTHORIZATION = {
  Authorization:
    'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00',
};

type ToChild = { wsUrl?: string } | { httpUrl: string; ids: string[] };

const child = async () => {
  const data = JSON.stringify({ type: 'message', text: 'hello '.repeat(10) });
  const sockets: WebSocket[] = [];
  process.on('message', async (message: ToChild) => {
    if (!('ids' in message)) {
      for (let i = 0; message.wsUrl && i < clients; i++) {
        const ws = new WebSocket(message.wsUrl);
        await once(ws, 'open');
        sockets.push(ws);
      }
      return process.send?.('ready');
    }
    const { httpUrl, ids } = message;
    const connectionId = (n: number) => ids[n % ids.length] as string;
    const post = unsignedPoster(httpUrl, 50, AUTHORIZATION);
    await postMany(post, { count: posts, concurrency: 50, data, connectionId });
    process.send?.('done');
  });
};

/** Runs the posting child against one server; returns the server process's CPU per post. */
const measure = async (name: string, httpUrl: string, ids: () => string[], wsUrl?: string) => {
  const poster = fork(fileURLToPath(import.meta.url), ['--child', ...process.argv.slice(2)], {
    execArgv: process.execArgv,
  });
  poster.send({ ...(wsUrl ? { wsUrl } : {}) } satisfies ToChild);
  await once(poster, 'message');
  const cpu = process.cpuUsage();
  const started = performance.now();
  poster.send({ httpUrl, ids: ids() } satisfies ToChild);
  await once(poster, 'message');
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  poster.kill();
  return {
    server: name,
    posts,
    'posts/s': round(posts / seconds, 0),
    'server CPU µs/post': round((used.user + used.system) / posts, 1),
  };
};

if (process.argv.includes('--child')) {
  await child();
} else {
  const sink = await startSink();
  const rows = [await measure('sink: HTTP 200, nothing sent', sink.url, () => ['c0'])];
  sink.stop();
  const connected: string[] = [];
  const emulator = await start({
    port: 0,
    quiet: true,
    handler: async (event: { requestContext: { routeKey: string; connectionId: string } }) => {
      if (event.requestContext.routeKey === '$connect')
        connected.push(event.requestContext.connectionId);
      return { statusCode: 200 };
    },
  });
  rows.push(
    await measure(
      `emulator: ${clients} clients`,
      emulator.httpUrl,
      () => connected,
      emulator.wsUrl,
    ),
  );
  await emulator.stop();
  printTable('One @connections POST: CPU on the answering side (50 in flight)', rows);
}
