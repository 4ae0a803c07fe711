import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

/** What happens to a frame the server sends the browser. */
export type Verdict = 'pass' | 'hold' | 'drop';

/** A frame that crossed the relay, parsed when it is JSON. */
export type Frame = Record<string, unknown>;

/** A WebSocket hop between the browser and the chat server that sees, and can reorder, frames. */
export interface WsRelay {
  /** The WebSocket URL to give the page (its `config.json`): the server's, through this hop. */
  wsUrl: string;
  /** The path and query of every socket the browser opened through the relay, in order. */
  opened: string[];
  /** The subprotocols each of those sockets offered (`Sec-WebSocket-Protocol`), in order. */
  offered: string[][];
  /** Text frames the browser sent, in order. */
  fromBrowser: Frame[];
  /** Text frames passed on to the browser, in the order it got them. */
  toBrowser: Frame[];
  /** Decides each server frame's fate; frames held wait for `release()`. Passes all by default. */
  judge: (frame: Frame) => Verdict;
  /** Passes the held frames on, in the order they were held. */
  release(): void;
  stop(): Promise<void>;
}

/** The subprotocols a WebSocket upgrade request offers, in order. */
export const offeredProtocols = (request: IncomingMessage) =>
  (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

const parse = (data: RawData | string): Frame => {
  try {
    return JSON.parse(data.toString()) as Frame;
  } catch {
    return { raw: data.toString() };
  }
};

/** A close code that may be sent on (1005 and 1006 only describe a close, they are never sent). */
const sendable = (code: number) => (code === 1005 || code === 1006 ? 1000 : code);

/**
 * Starts a relay to the WebSocket server at `target` (ws://host:port[/stage]). Each browser
 * socket gets its own upstream socket with the same path and query, opened before the browser's
 * upgrade is answered, so a refused connection is refused to the browser too.
 */
export const startWsRelay = async (target: string): Promise<WsRelay> => {
  const origin = new URL(target);
  const held: { browser: WebSocket; data: string; frame: Frame }[] = [];
  const sockets = new Set<WebSocket>();
  // The browser gets the subprotocol the server chose for its upstream socket, or none.
  const chosen = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (_, request) => chosen.get(request) ?? false,
  });
  const http = createServer();

  const relay: WsRelay = {
    wsUrl: '',
    opened: [],
    offered: [],
    fromBrowser: [],
    toBrowser: [],
    judge: () => 'pass',
    release() {
      for (const { browser, data, frame } of held.splice(0)) deliver(browser, data, frame);
    },
    async stop() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      http.close();
      await once(http, 'close');
    },
  };

  const deliver = (browser: WebSocket, data: string, frame: Frame) => {
    if (browser.readyState !== WebSocket.OPEN) return;
    relay.toBrowser.push(frame);
    browser.send(data);
  };

  const bridge = (request: IncomingMessage, client: Duplex, head: Buffer) => {
    const path = request.url ?? '/';
    const offered = offeredProtocols(request);
    relay.opened.push(path);
    relay.offered.push(offered);
    const upstream = new WebSocket(new URL(path, origin), offered);
    const early: string[] = [];
    let browser: WebSocket | undefined;
    sockets.add(upstream);
    // A handshake the server failed (no subprotocol chosen, a reset) fails the browser's too.
    upstream.on('error', () => {
      if (!browser) client.destroy();
    });
    upstream.on('unexpected-response', (_, response) => {
      client.end(`HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\n\r\n`);
      upstream.terminate();
    });
    upstream.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (!browser) early.push(text);
      else route(browser, text);
    });
    upstream.on('open', () => {
      if (upstream.protocol) chosen.set(request, upstream.protocol);
      wss.handleUpgrade(request, client, head, (socket) => {
        browser = socket;
        sockets.add(socket);
        if (upstream.readyState !== WebSocket.OPEN) socket.close(1011);
        socket.on('error', () => {});
        socket.on('message', (data, isBinary) => {
          if (!isBinary) relay.fromBrowser.push(parse(data));
          upstream.send(data, { binary: isBinary });
        });
        socket.on('close', (code) => upstream.close(sendable(code)));
        upstream.on('close', (code) => socket.close(sendable(code)));
        for (const text of early.splice(0)) route(socket, text);
      });
    });
    client.on('error', () => upstream.terminate());
  };

  const route = (browser: WebSocket, data: string) => {
    const frame = parse(data);
    const verdict = relay.judge(frame);
    if (verdict === 'hold') held.push({ browser, data, frame });
    else if (verdict === 'pass') deliver(browser, data, frame);
  };

  http.on('upgrade', bridge);
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  relay.wsUrl = `ws://127.0.0.1:${port}${origin.pathname === '/' ? '' : origin.pathname}`;
  return relay;
};
