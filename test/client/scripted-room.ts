import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Frame } from './ws-relay.js';

/**
 * A WebSocket server whose every frame the test writes: a room's frames in any order or shape
 * the real server would not produce on demand (a room too big to list, updates crossing).
 * Each socket gets `replay` on connect, so the page knows it is in the room.
 */
export interface ScriptedRoom {
  wsUrl: string;
  /** Frames the browser sent, in order. */
  fromBrowser: Frame[];
  /** Sends a frame to every open socket. */
  send(frame: Frame): void;
  stop(): Promise<void>;
}

export const startScriptedRoom = async (replay: Frame): Promise<ScriptedRoom> => {
  const sockets = new Set<WebSocket>();
  const http = createServer();
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols) => (protocols.has('chat') ? 'chat' : false),
  });
  const room: ScriptedRoom = {
    wsUrl: '',
    fromBrowser: [],
    send(frame) {
      for (const socket of sockets) socket.send(JSON.stringify(frame));
    },
    async stop() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      http.close();
      await once(http, 'close');
    },
  };
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => room.fromBrowser.push(JSON.parse(data.toString()) as Frame));
    socket.send(JSON.stringify(replay));
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  room.wsUrl = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return room;
};
