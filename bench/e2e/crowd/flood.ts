import { WebSocket } from 'ws';
import { sleep } from './clients.js';
import type { FloodRequest, FloodResult } from './protocol.js';

/**
 * Connect-and-drop clients at a steady rate: each asks for the room's whole history
 * (`since=0`) and hangs up (no close frame) the moment its socket opens.
 */
export const flood = async (request: FloodRequest): Promise<FloodResult> => {
  const started = performance.now();
  const result: FloodResult = { attempted: 0, opened: 0, refused: 0, seconds: 0 };
  const clients: Promise<void>[] = [];
  for (let i = 0; performance.now() - started < request.durationMs; i++) {
    await sleep(Math.max(0, started + (i * 1000) / request.perSecond - performance.now()));
    result.attempted++;
    clients.push(
      new Promise((resolve) => {
        const ws = new WebSocket(`${request.url}/?room=${request.room}&name=drop-${i}&since=0`, {
          perMessageDeflate: false,
        });
        ws.once('open', () => {
          result.opened++;
          ws.terminate();
          resolve();
        });
        ws.once('error', () => {
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
