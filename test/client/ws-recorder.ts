import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Frame, offeredProtocols } from './ws-relay.js';

/** One WebSocket upgrade a recorder accepted: what a server would see of it. */
export interface Upgrade {
  /** Path and query. */
  url: string;
  /** The subprotocols offered (`Sec-WebSocket-Protocol`), in order. */
  protocols: string[];
}

/**
 * A bare WebSocket server that accepts every socket (answering the subprotocol `chat` when it
 * is offered, as the chat server does), sends nothing and records everything it is told.
 */
export interface WsRecorder {
  /** ws://127.0.0.1:port, or the same port under another host name (`host`). */
  wsUrl: string;
  /** TCP connections made to it, whatever came of them. */
  connections: number;
  upgrades: Upgrade[];
  frames: Frame[];
  stop(): Promise<void>;
}

/** Starts a recorder on 127.0.0.1; `host` names it in `wsUrl` (a name the browser maps there). */
export const startWsRecorder = async (host = '127.0.0.1'): Promise<WsRecorder> => {
  const sockets = new Set<WebSocket>();
  const http = createServer();
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false),
  });
  const recorder: WsRecorder = {
    wsUrl: '',
    connections: 0,
    upgrades: [],
    frames: [],
    async stop() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      http.close();
      await once(http, 'close');
    },
  };
  http.on('connection', () => {
    recorder.connections++;
  });
  wss.on('connection', (socket, request) => {
    sockets.add(socket);
    recorder.upgrades.push({ url: request.url ?? '/', protocols: offeredProtocols(request) });
    socket.on('message', (data) => {
      try {
        recorder.frames.push(JSON.parse(data.toString()) as Frame);
      } catch {
        recorder.frames.push({ raw: data.toString() });
      }
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  recorder.wsUrl = `ws://${host}:${(http.address() as AddressInfo).port}`;
  return recorder;
};
