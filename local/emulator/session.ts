import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { GATEWAY_FRAME_BYTES } from '../../src/protocol/limits.js';
import {
  CLOSE,
  type CloseStatus,
  type Connection,
  closeConnection,
  markActive,
  type Registry,
} from './connections.js';
import { disconnectEvent, messageEvent } from './events.js';
import { guardFrameSize } from './frame-guard.js';
import type { Runtime } from './invoke.js';
import type { Log } from './log.js';

/** What a connection's session needs from the gateway that accepted it. */
export interface SessionOptions {
  routeKeys: ReadonlySet<string>;
  idleTimeoutMs: number;
  maxConnectionMs: number;
  runtime: Runtime;
  registry: Registry;
  log: Log;
}

/**
 * Runs an accepted connection: routes its text frames, enforces the limits and the idle and
 * maximum durations, and invokes `$disconnect` exactly once when it closes, however it closed.
 * Resolves once the connection has closed and `$disconnect` has been started.
 */
export const runSession = (
  connection: Connection,
  ws: WebSocket,
  socket: Duplex,
  { routeKeys, idleTimeoutMs, maxConnectionMs, runtime, registry, log }: SessionOptions,
): Promise<void> => {
  const { facts } = connection;
  const id = facts.connectionId;
  connection.state = 'open';
  connection.socket = ws;
  connection.lastActiveAt = Date.now();
  guardFrameSize(socket, GATEWAY_FRAME_BYTES, () => closeConnection(connection, CLOSE.tooBig));
  connection.idleTimer = setTimeout(
    () => closeConnection(connection, CLOSE.goingAway),
    idleTimeoutMs,
  );
  const maxTimer = setTimeout(() => closeConnection(connection, CLOSE.goingAway), maxConnectionMs);

  ws.on('message', (data, isBinary) => {
    if (connection.closing) return;
    if (isBinary) {
      closeConnection(connection, CLOSE.unsupportedData);
      return;
    }
    markActive(connection);
    const body = (data as Buffer).toString('utf8');
    const event = messageEvent(facts, body, routeKeys);
    const { routeKey } = event.requestContext;
    // Like API Gateway, every message is its own invocation, concurrent with the others.
    void runtime.invoke(event).then((outcome) => {
      if (outcome.ok) {
        // A message route's result is never sent to the client (no route response is set up).
        log.info(`${routeKey} ${id} ok`);
        return;
      }
      log.error(`${routeKey} ${id} failed:`, outcome.error);
      if (ws.readyState !== ws.OPEN) return;
      const { requestId } = event.requestContext;
      ws.send(JSON.stringify({ message: 'Internal server error', connectionId: id, requestId }));
    });
  });

  ws.on('error', (error: Error & { code?: string }) => {
    // `ws` closes the connection itself after these; remember why for `$disconnect`.
    const status = wsErrorStatus(error.code);
    if (status) connection.closing ??= status;
  });

  return new Promise((resolve) => {
    ws.on('close', (code, reason) => {
      clearTimeout(connection.idleTimer);
      clearTimeout(maxTimer);
      registry.delete(id);
      const status = connection.closing ?? clientStatus(code, reason.toString('utf8'));
      log.info(`$disconnect ${id} ${status.code} ${status.reason}`);
      void runtime.invoke(disconnectEvent(facts, status.code, status.reason)).then((outcome) => {
        if (!outcome.ok) log.error(`$disconnect ${id} failed:`, outcome.error);
      });
      resolve();
    });
  });
};

/** The status a client's own close reports; the two codes a close frame cannot carry get words. */
const clientStatus = (code: number, reason: string): CloseStatus => {
  if (code === 1005) return { code, reason: 'Client-side close frame status not set' };
  if (code === 1006) return { code, reason: 'Connection closed abnormally' };
  return { code, reason };
};

const wsErrorStatus = (code: string | undefined): CloseStatus | undefined => {
  if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return CLOSE.tooBig;
  if (code === 'WS_ERR_INVALID_UTF8') return { code: 1007, reason: 'Invalid frame payload data' };
  if (code?.startsWith('WS_ERR_')) return { code: 1002, reason: 'Protocol error' };
  return undefined;
};
