import WebSocket from 'ws';
import { framesOf } from '../../local/message-frames.js';

export interface TestClient {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  /** Resolves with the next frame matching `test` (past frames included), or rejects after `ms`. */
  next(
    test: (frame: Record<string, unknown>) => boolean,
    ms?: number,
  ): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * A real `ws` client that records every frame it receives, offering `protocols` (e.g. `chat` and
 * a key subprotocol) when given. With `localAddress` its socket is bound
 * to that address: on Linux every 127.x.y.z is loopback, so clients from 127.0.0.2, 127.0.0.3, …
 * reach the emulator as different networks (it takes `sourceIp` from the socket, as API Gateway
 * does).
 */
export const connectClient = (
  url: string,
  { protocols, ...options }: { localAddress?: string; protocols?: string[] } = {},
): Promise<TestClient> =>
  new Promise((resolve, reject) => {
    const ws = protocols ? new WebSocket(url, protocols, options) : new WebSocket(url, options);
    const frames: Record<string, unknown>[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (data) => {
      // A busy room's batch as the message frames it stands for.
      frames.push(...framesOf(JSON.parse(data.toString()) as Record<string, unknown>));
      for (const wake of waiters) wake();
    });
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.on('close', (code, reason) => done({ code, reason: reason.toString() })),
    );
    const next: TestClient['next'] = (test, ms = 5_000) =>
      new Promise((found, fail) => {
        let seen = 0;
        const check = () => {
          for (; seen < frames.length; seen++) {
            const frame = frames[seen] as Record<string, unknown>;
            if (test(frame)) {
              waiters.delete(check);
              clearTimeout(timer);
              found(frame);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(
            new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(frames.slice(-3))}`),
          );
        }, ms);
        waiters.add(check);
        check();
      });
    ws.once('open', () => resolve({ ws, frames, next, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
