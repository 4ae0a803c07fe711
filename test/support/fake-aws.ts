import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { messagesOf } from '../../local/message-frames.js';
import { FakeServer } from './fake-server.js';

export interface Post {
  connectionId: string;
  body: string;
  status: number;
}

/**
 * A real HTTP server playing the `@connections` API and Lambda's Invoke API. Per connection,
 * a script of statuses is answered first (410, 429, 500, 413, 403...), then 410 for a connection
 * `gone` or still `connecting`, else 200. A DELETE closes the connection (204; 410 if it was
 * gone or not open yet).
 */
export class FakeAws extends FakeServer {
  posts: Post[] = [];
  invocations: unknown[] = [];
  /** Payloads of synchronous (`RequestResponse`) invocations, in arrival order. */
  syncInvocations: unknown[] = [];
  /**
   * Runs a synchronous invocation (the harness sets it to the real handler). What it returns
   * is the invocation's result; what it throws is answered as the function's error.
   */
  runSync: ((payload: unknown) => Promise<unknown>) | undefined;
  scripts = new Map<string, number[]>();
  gone = new Set<string>();
  /** Connections whose `$connect` has not returned yet: API Gateway answers their posts 410. */
  connecting = new Set<string>();
  /** `DELETE @connections/{id}` requests, in arrival order. */
  deletes: { connectionId: string; status: number }[] = [];
  /** Connections whose next post is held unanswered until its release (see `holdNext`). */
  private held = new Map<string, Promise<void>>();

  /**
   * Holds the next post to a connection unanswered (a slow or dead member, a poster that dies
   * mid-broadcast) until the returned release is called; later posts are answered at once.
   */
  holdNext(connectionId: string) {
    let release = () => {};
    this.held.set(connectionId, new Promise<void>((resolve) => (release = resolve)));
    return release;
  }

  /** The messages delivered to one connection, in order: a `messages` frame's one by one. */
  messagesTo(connectionId: string) {
    return this.delivered(connectionId).flatMap(messagesOf);
  }

  protected answer(req: IncomingMessage, res: ServerResponse) {
    void this.handle(req).then(({ status, headers, body }) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(
        body ??
          (status === 200 || status === 202 ? '' : JSON.stringify({ message: `status ${status}` })),
      );
    });
  }

  reset() {
    this.posts = [];
    this.invocations = [];
    this.syncInvocations = [];
    this.scripts.clear();
    this.gone.clear();
    this.connecting.clear();
    this.deletes = [];
    this.held.clear();
  }

  /** Frames delivered (status 200) to one connection, parsed. */
  delivered(connectionId: string) {
    return this.posts
      .filter((post) => post.connectionId === connectionId && post.status === 200)
      .map((post) => JSON.parse(post.body) as Record<string, unknown>);
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body?: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const url = req.url ?? '';
    if (url.includes('/functions/') && url.endsWith('/invocations')) {
      const payload = JSON.parse(body) as unknown;
      if (req.headers['x-amz-invocation-type'] === 'Event' || !this.runSync) {
        this.invocations.push(payload);
        return { status: 202, headers: {} };
      }
      this.syncInvocations.push(payload);
      try {
        const result = await this.runSync(payload);
        return { status: 200, headers: {}, body: JSON.stringify(result ?? null) };
      } catch (error) {
        const { name, message } = error as Error;
        return {
          status: 200,
          headers: { 'x-amz-function-error': 'Unhandled' },
          body: JSON.stringify({ errorType: name, errorMessage: message }),
        };
      }
    }
    const connectionId = decodeURIComponent(url.split('/@connections/')[1] ?? '');
    const closed = this.gone.has(connectionId) || this.connecting.has(connectionId);
    if (req.method === 'DELETE') {
      const status = closed ? 410 : 204;
      this.deletes.push({ connectionId, status });
      this.gone.add(connectionId);
      return status === 410 ? gone : { status, headers: {} };
    }
    const hold = this.held.get(connectionId);
    if (hold) {
      this.held.delete(connectionId);
      await hold;
    }
    const status = this.scripts.get(connectionId)?.shift() ?? (closed ? 410 : 200);
    this.posts.push({ connectionId, body, status });
    const errorType: Record<number, string> = {
      410: 'GoneException',
      429: 'LimitExceededException',
      413: 'PayloadTooLargeException',
      403: 'ForbiddenException',
      500: 'InternalServerErrorException',
    };
    const type = errorType[status];
    return { status, headers: type ? { 'x-amzn-errortype': type } : {} };
  }
}

const gone = { status: 410, headers: { 'x-amzn-errortype': 'GoneException' } };

export const useFakeAws = () => {
  const fake = new FakeAws();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  return fake;
};
