import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Socket, connect as tcpConnect } from 'node:net';

/** A TCP hop between the browser and the chat server whose cable the test can pull. */
export interface FlakyNetwork {
  /** The WebSocket URL to give the page (its `config.json`): the server's, through this hop. */
  wsUrl: string;
  /** Drops every open connection abruptly and refuses new ones, like a lost network. */
  cut(): void;
  /** Stops passing the server's bytes to the browser on open connections (its frames still go out). */
  mute(): void;
  /** Lets connections through again. */
  restore(): void;
  stop(): Promise<void>;
}

/** Starts a TCP relay to the WebSocket server at `target` (ws://host:port). */
export const startFlakyNetwork = async (target: string): Promise<FlakyNetwork> => {
  const { hostname, port, pathname } = new URL(target);
  const open = new Set<Socket>();
  const toBrowser = new Map<Socket, Socket>();
  let down = false;
  const server = createServer((client) => {
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = tcpConnect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
    toBrowser.set(upstream, client);
    upstream.on('close', () => toBrowser.delete(upstream));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    wsUrl: `ws://127.0.0.1:${address.port}${pathname === '/' ? '' : pathname}`,
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    mute() {
      for (const [upstream, client] of toBrowser) {
        upstream.unpipe(client);
        upstream.resume();
      }
    },
    restore() {
      down = false;
    },
    async stop() {
      for (const socket of open) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
};
