/**
 * What one `@connections` post costs in CPU on either side, `--concurrency` (50) in flight, with
 * the other side in a child process so that only one side is on this process's clock.
 * Posting side: the AWS SDK client the handler used first, the handler's poster now
 * (`src/outbound`: its own SigV4 signer over keep-alive `node:http`), and an unsigned post (the
 * floor for an HTTP post), each to a sink that answers 200.
 * Answering side (`--answering`): the emulator, with a handler that only accepts connections and
 * `--clients` WebSocket clients connected (parse, find the connection, send the frame, answer
 * 200), beside the sink (the floor for answering an HTTP request at all); the child posts
 * unsigned, with a fixed SigV4-shaped `Authorization`, which the emulator requires but does not
 * verify.
 * Run: `npx tsx bench/e2e/post-cost.ts [--answering] [--posts=5000] [--concurrency=50] [--clients=1000]`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { WebSocket } from 'ws';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { start } from '../../local/emulator/index.js';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { type Post, postMany, startSink, unsignedPoster } from '../sink.js';
import { option, printTable, round } from '../stats.js';

const answering = process.argv.includes('--answering');
const count = Number(option('posts') ?? (answering ? 20_000 : 5_000));
const concurrency = Number(option('concurrency') ?? 50);
const clients = Number(option('clients') ?? 1_000);
const data = JSON.stringify({
  type: 'message',
  room: 'r',
  seq: 1,
  id: 'x',
  sender: 's',
  text: 'hello '.repeat(10),
  sentAt: new Date().toISOString(),
});

const AUTHORIZATION = {
  Authorization:
    'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00',
};

/** What the parent asks of the child: answer posts, connect clients, or post. */
type ToChild = { serve: true } | { wsUrl: string } | { httpUrl: string; ids: string[] };

const child = () => {
  const sockets: WebSocket[] = [];
  process.on('message', async (message: ToChild) => {
    if ('serve' in message) return process.send?.((await startSink()).url);
    if ('wsUrl' in message) {
      for (let i = 0; i < clients; i++) {
        const ws = new WebSocket(message.wsUrl);
        await once(ws, 'open');
        sockets.push(ws);
      }
      return process.send?.('ready');
    }
    const { httpUrl, ids } = message;
    const post = unsignedPoster(httpUrl, concurrency, AUTHORIZATION);
    await postMany(post, {
      count,
      concurrency,
      data,
      connectionId: (n) => ids[n % ids.length] as string,
    });
    process.send?.('done');
  });
  process.on('disconnect', () => process.exit(0));
};

const forkChild = () =>
  fork(fileURLToPath(import.meta.url), ['--child', ...process.argv.slice(2)], {
    execArgv: process.execArgv,
  });

const ask = async (to: ChildProcess, message: ToChild) => {
  to.send(message);
  return ((await once(to, 'message')) as [string])[0];
};

/** This process's CPU per post while `run` makes (or answers) the posts. */
const cpuPerPost = async (run: () => Promise<unknown>) => {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return {
    posts: count,
    'posts/s': round(count / ((performance.now() - started) / 1000), 0),
    'CPU µs/post': round((used.user + used.system) / count, 1),
  };
};

/** The AWS SDK's own client, as `src/outbound` used it before it signed posts itself. */
const sdkClientPost = (endpoint: string): Post => {
  const client = new ApiGatewayManagementApiClient({ endpoint, maxAttempts: 1 });
  const encoder = new TextEncoder();
  return async (connectionId, frame) => {
    await client.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: encoder.encode(frame) }),
    );
  };
};

const postingSide = async () => {
  process.env.AWS_REGION ??= localAwsConfig.region;
  process.env.AWS_ACCESS_KEY_ID ??= localAwsConfig.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= localAwsConfig.credentials.secretAccessKey;
  const sink = forkChild();
  const url = await ask(sink, { serve: true });
  const posters: [string, Post][] = [
    ['AWS SDK client (first)', sdkClientPost(url)],
    ['src/outbound: own SigV4 + node:http (shipped)', createConnectionsApi(url, concurrency).post],
    ['unsigned node:http (floor)', unsignedPoster(url, concurrency)],
  ];
  const rows = [];
  // The first round warms up (JIT, sockets); only the second is reported.
  for (const round_ of [0, 1]) {
    for (const [name, post] of posters) {
      const connectionId = (n: number) => `conn-${n}=`;
      const row = await cpuPerPost(() =>
        postMany(post, { count, concurrency, data, connectionId }),
      );
      if (round_ === 1) rows.push({ client: name, ...row });
    }
  }
  printTable(`One @connections post: CPU on the posting side (${concurrency} in flight)`, rows);
  sink.disconnect();
};

/** Has a child post `count` times to `httpUrl` (after connecting its clients to `wsUrl`). */
const answer = async (server: string, httpUrl: string, ids: () => string[], wsUrl?: string) => {
  const poster = forkChild();
  if (wsUrl) await ask(poster, { wsUrl });
  const row = await cpuPerPost(() => ask(poster, { httpUrl, ids: ids() }));
  poster.kill();
  return { server, ...row };
};

const answeringSide = async () => {
  const sink = await startSink();
  const rows = [await answer('sink: HTTP 200, nothing sent', sink.url, () => ['c0'])];
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
  const label = `emulator: ${clients} clients`;
  rows.push(await answer(label, emulator.httpUrl, () => connected, emulator.wsUrl));
  await emulator.stop();
  printTable(`One @connections POST: CPU on the answering side (${concurrency} in flight)`, rows);
};

if (process.argv.includes('--child')) child();
else if (answering) await answeringSide();
else await postingSide();
