import type { WebSocket } from 'ws';
import type { ConnectionFacts } from './events.js';

/** Why the emulator closed a connection; reported in `$disconnect`. */
export interface CloseStatus {
  code: number;
  reason: string;
  /** The close frame the client gets carries no status (it sees 1005), whatever `$disconnect` says. */
  bareFrame?: true;
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
  /**
   * `DELETE @connections/{id}` (`DeleteConnection`). It takes no code or reason, and API Gateway
   * closes the socket with a close frame that carries neither: the client sees 1005, "no status
   * received" (RFC 6455 section 7.1.5). Reported by andyrichardson/subscriptionless#2 ("Sockets
   * closed by the server don't contain a Close Code or Close Reason") and behind
   * aws/aws-sdk-js#3636 (asking DeleteConnection for a close code). Its `$disconnect` says 1000,
   * "Connection Closed Normally", as API Gateway's execution log shows it in aws/chalice#2060 and
   * boto/boto3#3789 (whose authors took that for the code the client got).
   */
  deleted: { code: 1000, reason: 'Connection Closed Normally', bareFrame: true },
} as const satisfies Record<string, CloseStatus>;

/** How long a closing connection may take to answer the close frame before it is dropped. */
const CLOSE_GRACE_MS = 1_000;

/** Starts closing a connection once; `$disconnect` follows when the socket has closed. */
export const closeConnection = (connection: Connection, status: CloseStatus) => {
  const { socket } = connection;
  if (connection.closing || !socket) return;
  connection.closing = status;
  if (status.bareFrame) socket.close();
  else socket.close(status.code, status.reason);
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
