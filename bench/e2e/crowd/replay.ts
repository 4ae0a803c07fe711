import { WebSocket } from 'ws';
import { type Frame, sleep } from './clients.js';
import type { ReplayRequest, ReplayResult } from './protocol.js';

const RUN_TIMEOUT_MS = 30_000;

interface Run {
  open: number;
  done: number;
  frames: number;
}

/** One fresh client: times its `open` and the arrival of the `expect`-th replayed message. */
const probe = (request: ReplayRequest, run: number) =>
  new Promise<Run>((resolve) => {
    const since = request.since === undefined ? '' : `&since=${request.since}`;
    const started = performance.now();
    const ws = new WebSocket(`${request.url}/?room=${request.room}&name=probe-${run}${since}`, {
      perMessageDeflate: false,
    });
    const result: Run = { open: Number.NaN, done: Number.NaN, frames: 0 };
    let messages = 0;
    const finish = () => {
      clearTimeout(timer);
      ws.once('close', () => resolve(result));
      ws.close(1000);
    };
    const timer = setTimeout(finish, RUN_TIMEOUT_MS);
    ws.once('open', () => {
      result.open = performance.now() - started;
    });
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.type !== 'history') return;
      result.frames++;
      messages += frame.messages?.length ?? 0;
      if (messages >= request.expect) {
        result.done = performance.now() - started;
        finish();
      }
    });
    ws.once('error', () => {
      clearTimeout(timer);
      resolve(result);
    });
  });

/** Fresh clients one after another, each timed from creating its socket to its full replay. */
export const replay = async (request: ReplayRequest): Promise<ReplayResult> => {
  const result: ReplayResult = { open: [], done: [], frames: [], incomplete: 0 };
  for (let run = 0; run < request.runs; run++) {
    const { open, done, frames } = await probe(request, run);
    if (Number.isNaN(done)) result.incomplete++;
    else result.done.push(done);
    result.open.push(open);
    result.frames.push(frames);
    await sleep(50);
  }
  return result;
};
