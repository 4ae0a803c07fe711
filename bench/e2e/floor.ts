import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * The floor: a bare `ws` server that does what the chat does for a message, minus everything
 * else: it parses the sender's frame and sends the same `message` frame to every member of the
 * room, straight from memory. No storage, no HTTP per recipient, no SDK. It echoes the `id` to
 * everyone, where the chat sends it to the author only: the crowd knows a delivery by the key in
 * its text (crowd/clients.ts, `sentText`) and an acknowledgement by the id on the sender's own
 * frame, so both count the same frames alike.
 */
export const startFloor = async () => {
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: false });
  const rooms = new Map<string, Set<WebSocket>>();
  let seq = 0;
  wss.on('connection', (ws, req) => {
    const room = new URL(req.url ?? '/', 'http://floor').searchParams.get('room') ?? 'general';
    const members = rooms.get(room) ?? new Set<WebSocket>();
    rooms.set(room, members);
    members.add(ws);
    ws.on('close', () => members.delete(ws));
    ws.on('message', (data) => {
      const body = JSON.parse(String(data)) as { message?: string; id?: string };
      const frame = JSON.stringify({
        type: 'message',
        room,
        seq: ++seq,
        id: body.id,
        sender: 'floor',
        text: body.message,
        sentAt: new Date().toISOString(),
      });
      for (const member of members) member.send(frame);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    wsUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      wss.close();
      await closed;
    },
  };
};
