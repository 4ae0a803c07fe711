import WebSocket from 'ws';
import { framesOf } from '../message-frames.js';

/** A server frame, parsed. */
export type Frame = Record<string, unknown> & { type?: string };

/** How long one expected frame may take: on AWS a cold start plus the async replay invoke. */
export const FRAME_TIMEOUT_MS = 15_000;

/**
 * One chat connection that keeps every frame it receives until a step takes it; a busy room's
 * `messages` batch is kept as the `message` frames it stands for, so steps match those.
 */
export class SmokeClient {
  private inbox: Frame[] = [];
  private waiters = new Set<() => void>();
  closed = false;

  private constructor(
    readonly label: string,
    private socket: WebSocket,
  ) {
    socket.on('message', (data, isBinary) => {
      const frame = isBinary ? { type: 'binary' } : (JSON.parse(data.toString()) as Frame);
      this.inbox.push(...framesOf(frame));
      for (const wake of this.waiters) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
  }

  /**
   * Opens a connection offering these subprotocols; rejects with the HTTP status if the upgrade
   * is refused (and, as a browser would, if the server does not answer one it was offered).
   */
  static open(label: string, url: URL, protocols: string[] = []): Promise<SmokeClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, protocols, { handshakeTimeout: FRAME_TIMEOUT_MS });
      socket.once('open', () => resolve(new SmokeClient(label, socket)));
      socket.once('unexpected-response', (_req, res) => {
        reject(new RefusedError(res.statusCode ?? 0));
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  /** The subprotocol the server answered with ('' for none). */
  get protocol() {
    return this.socket.protocol;
  }

  send(frame: Record<string, unknown> | string) {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Takes the first frame that matches, waiting for it if it has not arrived yet. */
  async take(what: string, matches: (frame: Frame) => boolean, timeoutMs = FRAME_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex(matches);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Frame;
      if (this.closed)
        throw new Error(`${this.label}: connection closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.inbox.map((f) => JSON.stringify(f).slice(0, 120)).join('\n    ');
        throw new Error(
          `${this.label}: no ${what} within ${timeoutMs} ms; unclaimed:\n    ${seen}`,
        );
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Frames received and not yet taken by a step. */
  unclaimed() {
    return [...this.inbox];
  }

  close() {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close(1000);
      setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 2_000).unref();
    });
  }
}

/** The server refused the WebSocket upgrade with this HTTP status. */
export class RefusedError extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** The endpoint's URL with the chat's connect query. */
export const chatUrl = (base: string, query: Record<string, string | number | undefined>) => {
  const url = new URL(base);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
};
