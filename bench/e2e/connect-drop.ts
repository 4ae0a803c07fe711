import type { LocalStack } from '../../local/stack.js';
import { printTable, round, summarize } from '../stats.js';
import type { BenchContainer } from './container.js';
import type { FanoutResult } from './crowd/protocol.js';
import type { Crowd } from './crowd.js';

export interface ConnectDropOptions {
  quick: boolean;
  stack: LocalStack;
  container: BenchContainer;
  crowd: Crowd;
}

const STEADY = 'steady-50';
const FLOODED = 'flooded';

/**
 * A connect-and-drop flood (20 clients a second that ask for the whole history and hang up at
 * once) into one room, beside a steady 50-member room: each room's fan-out times without the
 * flood and during it, measured in the same run.
 */
export const benchConnectDrop = async ({ quick, stack, container, crowd }: ConnectDropOptions) => {
  const rooms = [
    { room: STEADY, count: 50 },
    { room: FLOODED, count: 10 },
  ];
  await crowd.join({
    url: stack.wsUrl,
    group: 'drop',
    rooms,
    batch: 60,
    perSecond: 500,
    awaitReplay: true,
  });
  const probe = {
    group: 'drop',
    warmup: 1,
    messages: quick ? 10 : 30,
    gapMs: 100,
    timeoutMs: 30_000,
  };
  // History for every dropped client's replay to read (up to a page of it).
  await crowd.fanout({ ...probe, room: FLOODED, warmup: 0, messages: quick ? 50 : 200, gapMs: 0 });
  await container.idle();
  const calm = {
    steady: await crowd.fanout({ ...probe, room: STEADY }),
    flooded: await crowd.fanout({ ...probe, room: FLOODED }),
  };
  const perSecond = 20;
  const flooding = crowd.flood({
    url: stack.wsUrl,
    room: FLOODED,
    perSecond,
    durationMs: quick ? 8_000 : 30_000,
  });
  // Let the flood get going before measuring beside it.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const during = {
    steady: await crowd.fanout({ ...probe, room: STEADY }),
    flooded: await crowd.fanout({ ...probe, room: FLOODED }),
  };
  const flood = await flooding;
  await crowd.close({ group: 'drop', perSecond: 500 });
  await container.idle();

  const row = (room: string, members: number, without: FanoutResult, within: FanoutResult) => {
    const before = summarize(without.last);
    const after = summarize(within.last);
    return {
      room,
      members,
      'p50 calm': before.p50,
      'p50 flood': after.p50,
      'x p50': round(after.p50 / before.p50),
      'p99 calm': before.p99,
      'p99 flood': after.p99,
      'max flood': round(Math.max(...within.last)),
      missing: without.missing + within.missing,
    };
  };
  const rows = [
    row(STEADY, 50, calm.steady, during.steady),
    row(FLOODED, 10, calm.flooded, during.flooded),
  ];
  printTable(
    `Connect-and-drop flood: ${perSecond}/s into "${FLOODED}" for ${flood.seconds} s (${flood.opened} opened); ms from a send until the room's last member has it`,
    rows,
  );
  return { flood, rows };
};
