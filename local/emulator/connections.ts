import type { WebSocket } from 'ws';
import type { ConnectionFacts } from './events.js';

/** Why the emulator closed a connection; reported in `$disconnect`. */
export interface CloseStatus {
  code: number;
  reason: string;
}

/**
 * One connection as the gateway tracks it. `connecting` while `$connect` runs (the
 * `@connections` API answers 410 then), `open` once the handshake completed. A closed
 * connection is removed from the registry, so it is gone (410) too.
 */
export interface Connection {
  facts: ConnectionFacts;
  state: 'connecting' | 'open';
  socket?: WebSocket;
  lastActiveAt: number;
  /** Set when the gateway decided to close; wins over whatever the client answers. */
  closing?: CloseStatus;
  idleTimer?: NodeJS.Timeout;
}

/** Every connection the gateway knows, by id; what is not here is gone. */
export type Registry = Map<string, Connection>;

/** Server-side closes, with the codes API Gateway uses. */
export const CLOSE = {
  goingAway: { code: 1001, reason: 'Going away' },
  unsupportedData: { code: 1003, reason: 'Binary frames are not supported' },
  tooBig: { code: 1009, reason: 'Message too big' },
  deleted: { code: 1000, reason: 'Connection closed by the server' },
} as const satisfies Record<string, CloseStatus>;

/** How long a closing connection may take to answer the close frame before it is dropped. */
const CLOSE_GRACE_MS = 1_000;

/** Starts closing a connection once; `$disconnect` follows when the socket has closed. */
export const closeConnection = (connection: Connection, status: CloseStatus) => {
  const { socket } = connection;
  if (connection.closing || !socket) return;
  connection.closing = status;
  socket.close(status.code, status.reason);
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
};

/**
 * Data frames in either direction count as activity: they move `lastActiveAt` and restart the
 * idle timer (API Gateway keeps a connection alive on server posts too). Ping/pong do not.
 */
export const markActive = (connection: Connection) => {
  connection.lastActiveAt = Date.now();
  connection.idleTimer?.refresh();
};
