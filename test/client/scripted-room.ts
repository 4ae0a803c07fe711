import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Frame, offeredProtocols } from './ws-relay.js';

/**
 * A WebSocket server whose every frame the test writes: a room's frames in any order or shape
 * the real server would not produce on demand (a room too big to list, updates crossing).
 * Each socket gets `greeting` on connect (a `session` frame, the replay), so the page knows it
 * is in the room.
 */
export interface ScriptedRoom {
  wsUrl: string;
  /** Frames the browser sent, in order. */
  fromBrowser: Frame[];
  /** The subprotocols each socket the room accepted offered, in order. */
  offered: string[][];
  /** Upgrades asked for, accepted or refused. */
  attempts: number;
  /** What each new socket gets first, in order; a test may change it between connections. */
  greeting: Frame[];
  /** While set, upgrades are refused with this HTTP status (a `$connect` refused). */
  refuseWith: number | null;
  /** Sends a frame to every open socket. */
  send(frame: Frame): void;
  /** Closes every open socket from the server's side, as `DELETE @connections` does. */
  closeAll(): void;
  stop(): Promise<void>;
}

export const startScriptedRoom = async (greeting: Frame | Frame[]): Promise<ScriptedRoom> => {
  const sockets = new Set<WebSocket>();
  const http = createServer();
  const room: ScriptedRoom = {
    wsUrl: '',
    fromBrowser: [],
    offered: [],
    attempts: 0,
    greeting: Array.isArray(greeting) ? greeting : [greeting],
    refuseWith: null,
    send(frame) {
      for (const socket of sockets) socket.send(JSON.stringify(frame));
    },
    closeAll() {
      for (const socket of sockets) socket.close(1001, 'Going away');
    },
    async stop() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      http.close();
      await once(http, 'close');
    },
  };
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false),
    verifyClient: (_, answer) => {
      room.attempts++;
      if (room.refuseWith === null) answer(true);
      else answer(false, room.refuseWith);
    },
  });
  wss.on('connection', (socket, request) => {
    sockets.add(socket);
    room.offered.push(offeredProtocols(request));
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => room.fromBrowser.push(JSON.parse(data.toString()) as Frame));
    for (const frame of room.greeting) socket.send(JSON.stringify(frame));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  room.wsUrl = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return room;
};
