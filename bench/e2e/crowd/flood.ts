import { connect } from 'node:net';
import { sleep } from './clients.js';

/**
 * Connect-and-drop clients at a steady rate: each sends a WebSocket upgrade asking for the
 * room's whole history (`since=0`) and hangs up as soon as the request is written, while
 * `$connect` is still running: the handler registers it, starts its replay, and then learns it
 * is gone.
 */
export const flood = async (request: {
  url: string;
  room: string;
  /** New connect-and-drop clients per second, for `durationMs`. */
  perSecond: number;
  durationMs: number;
}) => {
  const { hostname, port } = new URL(request.url);
  const started = performance.now();
  const result = { attempted: 0, opened: 0, refused: 0, seconds: 0 };
  const clients: Promise<void>[] = [];
  for (let i = 0; performance.now() - started < request.durationMs; i++) {
    await sleep(Math.max(0, started + (i * 1000) / request.perSecond - performance.now()));
    result.attempted++;
    clients.push(
      new Promise((resolve) => {
        const socket = connect({ host: hostname, port: Number(port) }, () => {
          const key = Buffer.from(`drop-${i}-${Math.random()}`).toString('base64');
          const path = `/?room=${request.room}&name=drop-${i}&since=0`;
          const head = [
            `GET ${path} HTTP/1.1`,
            `Host: ${hostname}:${port}`,
            'Upgrade: websocket',
            'Connection: Upgrade',
            `Sec-WebSocket-Key: ${key}`,
            'Sec-WebSocket-Version: 13',
          ];
          socket.write(`${head.join('\r\n')}\r\n\r\n`, () => {
            result.opened++;
            socket.destroy();
            resolve();
          });
        });
        socket.once('error', () => {
          result.refused++;
          resolve();
        });
      }),
    );
  }
  await Promise.all(clients);
  result.seconds = Math.round((performance.now() - started) / 100) / 10;
  return result;
};
