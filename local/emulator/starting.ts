import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { refuse } from './connect-response.js';
import { sendText } from './http.js';

/** What a request gets while the emulator starts. */
export const STARTING_TEXT = 'The chat is starting; try again in a moment.\n';

/**
 * Answers every request and WebSocket upgrade with `503` and `Retry-After: 1` until the returned
 * function is called. The port has to be bound before the handler loads (its URL goes into the
 * handler's environment), and a request that finds no listener is accepted and never answered.
 * A prompt 503 rather than holding requests until ready: API Gateway refuses an unready upgrade
 * with a status too, and a failed start-up then leaves nothing waiting.
 */
export const answerWhileStarting = (server: Server) => {
  const onRequest = (_req: IncomingMessage, res: ServerResponse) =>
    sendText(res, 503, STARTING_TEXT, { 'Retry-After': '1', 'Cache-Control': 'no-store' });
  const onUpgrade = (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => undefined);
    refuse(socket, { status: 503, body: STARTING_TEXT, headers: [['Retry-After', '1']] });
  };
  server.on('request', onRequest);
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('request', onRequest);
    server.off('upgrade', onUpgrade);
  };
};
