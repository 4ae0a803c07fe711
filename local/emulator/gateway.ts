import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { GATEWAY_MESSAGE_BYTES } from '../../src/protocol/limits.js';
import { connectRequest } from './connect-request.js';
import { decide, refuse } from './connect-response.js';
import { CLOSE, type Connection, closeConnection } from './connections.js';
import { type ConnectionFacts, connectEvent, disconnectEvent } from './events.js';
import { gatewayId } from './ids.js';
import { runSession, type SessionOptions } from './session.js';

/** How the gateway routes, limits and invokes; shared with each connection's session. */
export interface GatewayOptions extends SessionOptions {
  stage: string;
  apiId: string;
}

/**
 * The WebSocket side of the API, at `/` and `/{stage}`. `$connect` runs while the upgrade
 * request waits: its answer decides the handshake, and until it returns the connection exists
 * only as `connecting` (posts to it get 410).
 */
export const createGateway = (options: GatewayOptions) => {
  const { stage, apiId, runtime, registry, log } = options;
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: GATEWAY_MESSAGE_BYTES,
    perMessageDeflate: false,
    // Subprotocols are only what `$connect` returns; `ws` must not pick one itself.
    handleProtocols: () => false,
  });
  const handshakeHeaders = new WeakMap<IncomingMessage, [string, string][]>();
  wss.on('headers', (lines, req) => {
    for (const [name, value] of handshakeHeaders.get(req) ?? []) lines.push(`${name}: ${value}`);
  });
  const busy = new Set<Promise<void>>();
  /** Keeps `stop()` waiting for `work` until it settles. */
  const track = (work: Promise<void>) => {
    busy.add(work);
    void work.finally(() => busy.delete(work));
  };
  let stopping = false;

  const connect = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/' && path !== `/${stage}`) {
      return refuse(socket, { status: 403, body: '{"message":"Forbidden"}', headers: [] });
    }
    if (!isWebSocketUpgrade(req)) {
      return refuse(socket, { status: 400, body: 'Not a WebSocket upgrade request', headers: [] });
    }
    if (stopping) return refuse(socket, { status: 503, body: 'Shutting down', headers: [] });
    const facts = connectionFacts(req, stage, apiId);
    const connection: Connection = { facts, state: 'connecting', lastActiveAt: facts.connectedAt };
    registry.set(facts.connectionId, connection);
    let clientLeft = false;
    socket.once('close', () => {
      clientLeft = true;
    });
    const decision = decide(await runtime.invoke(connectEvent(facts, connectRequest(req))));
    const status = decision.accept ? 101 : decision.status;
    log.info(`$connect ${facts.connectionId} -> ${status}`);
    if (!decision.accept) {
      // A refused connection never opened: no `$disconnect` for it.
      registry.delete(facts.connectionId);
      refuse(socket, decision);
      return;
    }
    // `ws` silently drops a socket that is no longer readable and writable, so a client that hung
    // up while `$connect` ran counts as gone even before its 'close' event has fired.
    if (clientLeft || socket.destroyed || !socket.readable || !socket.writable) {
      // `$connect` accepted it, so the handler holds state for it; the client went away before the
      // handshake finished. API Gateway then sees the connection close: `$disconnect` follows.
      registry.delete(facts.connectionId);
      socket.destroy();
      log.info(`$disconnect ${facts.connectionId} 1006 client left during $connect`);
      const left = runtime.invoke(disconnectEvent(facts, 1006, 'Connection closed abnormally'));
      track(
        left.then((outcome) => {
          if (!outcome.ok) log.error(`$disconnect ${facts.connectionId} failed:`, outcome.error);
        }),
      );
      return;
    }
    handshakeHeaders.set(req, decision.headers);
    wss.handleUpgrade(req, socket, head, (ws) => {
      track(runSession(connection, ws, socket, options));
      if (stopping) closeConnection(connection, CLOSE.goingAway);
    });
  };

  return {
    /** The `upgrade` listener for the HTTP server. */
    handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      track(
        connect(req, socket, head).catch((error: unknown) => {
          log.error('upgrade failed:', error);
          socket.destroy();
        }),
      );
    },
    /** Refuses new connections, closes the open ones (1001) and waits until all have closed. */
    stop: async () => {
      stopping = true;
      for (const connection of registry.values()) closeConnection(connection, CLOSE.goingAway);
      while (busy.size > 0) await Promise.allSettled([...busy]);
    },
  };
};

const isWebSocketUpgrade = (req: IncomingMessage) =>
  req.method === 'GET' &&
  req.headers.upgrade?.toLowerCase() === 'websocket' &&
  typeof req.headers['sec-websocket-key'] === 'string' &&
  req.headers['sec-websocket-version'] === '13';

const connectionFacts = (req: IncomingMessage, stage: string, apiId: string): ConnectionFacts => ({
  connectionId: gatewayId(),
  connectedAt: Date.now(),
  // Locally the Host header (with its port), so `http://${domainName}/${stage}` reaches us.
  domainName: req.headers.host ?? 'localhost',
  stage,
  apiId,
  identity: {
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    userAgent: req.headers['user-agent'] ?? '',
  },
});
