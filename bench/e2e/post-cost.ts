/**
 * What one `@connections` post costs the function's CPU, by client: the AWS SDK client the
 * handler used first, the handler's poster now (`src/outbound`: its own SigV4 signer over
 * keep-alive `node:http`), and an unsigned `node:http` post (the floor for an HTTP post).
 * The answering server runs in a child process so that only the posting side is on this
 * process's clock.
 * Run: `npx tsx bench/e2e/post-cost.ts [--posts=5000] [--concurrency=50]`.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { type Post, postMany, startSink, unsignedPoster } from '../sink.js';
import { option, printTable, round } from '../stats.js';

/** The AWS SDK's own client, as `src/outbound` used it before it signed posts itself. */
const sdkClientPost = (endpoint: string): Post => {
  const client = new ApiGatewayManagementApiClient({ endpoint, maxAttempts: 1 });
  const encoder = new TextEncoder();
  return async (connectionId, data) => {
    await client.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: encoder.encode(data) }),
    );
  };
};

if (process.argv.includes('--sink')) {
  const sink = await startSink();
  process.send?.(sink.url);
  process.on('disconnect', () => process.exit(0));
} else {
  const count = Number(option('posts') ?? 5_000);
  const concurrency = Number(option('concurrency') ?? 50);
  process.env.AWS_REGION ??= localAwsConfig.region;
  process.env.AWS_ACCESS_KEY_ID ??= localAwsConfig.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= localAwsConfig.credentials.secretAccessKey;
  const child = fork(fileURLToPath(import.meta.url), ['--sink'], { execArgv: process.execArgv });
  const [url] = (await once(child, 'message')) as [string];
  const data = JSON.stringify({
    type: 'message',
    room: 'r',
    seq: 1,
    id: 'x',
    sender: 's',
    text: 'hello '.repeat(10),
    sentAt: new Date().toISOString(),
  });
  const clients: [string, Post][] = [
    ['AWS SDK client (first)', sdkClientPost(url)],
    ['src/outbound: own SigV4 + node:http (shipped)', createConnectionsApi(url, concurrency).post],
    ['unsigned node:http (floor)', unsignedPoster(url, concurrency)],
  ];
  const rows = [];
  for (const round_ of [0, 1]) {
    for (const [name, post] of clients) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await postMany(post, { count, concurrency, data, connectionId: (n) => `conn-${n}=` });
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      // The first round warms up (JIT, sockets); only the second is reported.
      if (round_ === 1) {
        rows.push({
          client: name,
          posts: count,
          'posts/s': round(count / seconds, 0),
          'CPU µs/post': round((used.user + used.system) / count, 1),
        });
      }
    }
  }
  printTable(`One @connections post: CPU on the posting side (${concurrency} in flight)`, rows);
  child.disconnect();
}
