import { type Address, connect, hangUp, sleep } from './clients.js';

const RUN_TIMEOUT_MS = 30_000;

export interface ReplayRequest {
  url: string;
  room: string;
  since?: number;
  /** Messages the replay must bring. */
  expect: number;
  runs: number;
}

/** One fresh client: times its `open` and the arrival of the `expect`-th replayed message. */
const probe = async (address: Address, expect: number) => {
  const run = { open: Number.NaN, done: Number.NaN, frames: 0 };
  const finished = Promise.withResolvers<void>();
  let messages = 0;
  const started = performance.now();
  const member = await connect(address, {
    onHistory: (frame) => {
      run.frames++;
      messages += frame.messages?.length ?? 0;
      if (messages < expect) return;
      run.done = performance.now() - started;
      finished.resolve();
    },
  }).catch(() => undefined);
  if (!member) return run;
  run.open = performance.now() - started;
  member.ws.once('close', finished.resolve);
  const timer = setTimeout(finished.resolve, RUN_TIMEOUT_MS);
  await finished.promise;
  clearTimeout(timer);
  await hangUp(member);
  return run;
};

/**
 * Fresh clients one after another, each timed (ms) from creating its socket to `open` and to
 * its full replay, with the `history` frames that brought it.
 */
export const replay = async ({ url, room, since, expect, runs }: ReplayRequest) => {
  const result = {
    open: [] as number[],
    done: [] as number[],
    frames: [] as number[],
    incomplete: 0,
  };
  for (let n = 0; n < runs; n++) {
    const { open, done, frames } = await probe({ url, room, name: `probe-${n}`, since }, expect);
    if (Number.isNaN(done)) result.incomplete++;
    else result.done.push(done);
    result.open.push(open);
    result.frames.push(frames);
    await sleep(50);
  }
  return result;
};
