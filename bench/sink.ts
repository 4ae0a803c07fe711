import { once } from 'node:events';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP endpoint that answers every `@connections` post with 200 and counts them. */
export const startSink = async () => {
  let posts = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts++;
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts: () => posts,
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
};

/** Posts a frame to one connection; resolves once answered. */
export type Post = (connectionId: string, data: string) => Promise<void>;

/** `@connections` posts over keep-alive `node:http`, unsigned: the floor for an HTTP post. */
export const unsignedPoster = (
  endpoint: string,
  maxSockets: number,
  headers: Record<string, string> = {},
): Post => {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return (connectionId, data) =>
    new Promise((resolve, reject) => {
      const url = `${endpoint}/@connections/${encodeURIComponent(connectionId)}`;
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(data);
    });
};

/** `count` posts of `data`, `concurrency` in flight, to the connection `connectionId(n)` names. */
export const postMany = async (
  post: Post,
  {
    count,
    concurrency,
    data,
    connectionId,
  }: {
    count: number;
    concurrency: number;
    data: string;
    connectionId: (n: number) => string;
  },
) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await post(connectionId(next++), data);
    }),
  );
};
