import { printTable, round, summarize } from '../stats.js';
import { duringDropFlood, seedHistory } from './drop-flood.js';
import type { OnBenchStack } from './servers.js';

const STEADY = 'steady-50';
const FLOODED = 'flooded';

/**
 * A connect-and-drop flood (20 clients a second that ask for the whole history and hang up at
 * once) into one room, beside a steady 50-member room: each room's fan-out times without the
 * flood and during it, measured in the same run.
 */
export const benchConnectDrop = async (options: OnBenchStack) => {
  const { quick, stack, container, crowd, target } = options;
  const rooms = [
    { room: STEADY, count: 50 },
    { room: FLOODED, count: 10 },
  ];
  await crowd.ask('join', { url: stack.wsUrl, group: 'drop', rooms, ...target.join });
  const probe = {
    group: 'drop',
    warmup: 1,
    messages: quick ? 10 : 30,
    gapMs: 100,
    timeoutMs: 30_000,
  };
  // History for every dropped client's replay to read (up to a page of it).
  const history = quick ? 50 : 200;
  await seedHistory(crowd, 'drop', FLOODED, history);
  await container.idle();
  /** A room's fan-outs, with the Lambda time of each of their sends (the broadcasts). */
  // During the flood the container is never idle: a short pause lets the last send finish.
  const settle = (flooding: boolean) =>
    flooding ? new Promise((resolve) => setTimeout(resolve, 500)) : container.idle(50);
  const measure = async (room: string, flooding = false) => {
    await settle(flooding);
    const seen = container.snapshot().durations.sendmessage?.length ?? 0;
    const result = await crowd.ask('fanout', { ...probe, room });
    await settle(flooding);
    return { result, sends: (container.snapshot().durations.sendmessage ?? []).slice(seen) };
  };
  const calm = { steady: await measure(STEADY), flooded: await measure(FLOODED) };
  const perSecond = 20;
  container.reset();
  const { during, flood } = await duringDropFlood(
    crowd,
    { url: stack.wsUrl, room: FLOODED, perSecond, durationMs: quick ? 8_000 : 30_000 },
    async () => ({ steady: await measure(STEADY, true), flooded: await measure(FLOODED, true) }),
  );
  // The replays the flood started, once the last of them has finished.
  await container.idle();
  const replays = container.snapshot().durations.replay ?? [];
  await crowd.ask('close', { group: 'drop', perSecond: 500 });
  await container.idle();

  type Measured = Awaited<ReturnType<typeof measure>>;
  const row = (room: string, members: number, without: Measured, within: Measured) => {
    const before = summarize(without.result.last);
    const after = summarize(within.result.last);
    return {
      room,
      members,
      'p50 calm': before.p50,
      'p50 flood': after.p50,
      'x p50': round(after.p50 / before.p50),
      'p99 calm': before.p99,
      'p99 flood': after.p99,
      'send ms p50 calm': summarize(without.sends).p50,
      'send ms p50 flood': summarize(within.sends).p50,
      'send ms max flood': round(Math.max(...within.sends)),
      missing: without.result.missing + within.result.missing,
    };
  };
  const rows = [
    row(STEADY, 50, calm.steady, during.steady),
    row(FLOODED, 10, calm.flooded, during.flooded),
  ];
  printTable(
    `Connect-and-drop flood: ${perSecond}/s into "${FLOODED}" for ${flood.seconds} s (${flood.opened} hung up during $connect); ms from a send until the room's last member has it, and the Lambda time of each send (its broadcast)`,
    rows,
  );
  const replay = summarize(replays);
  const replayRow = {
    replays: replays.length,
    'ms p50': replay.p50,
    'ms p99': replay.p99,
    'ms max': round(Math.max(0, ...replays)),
  };
  printTable('Connect-and-drop flood: the Lambda time of the replays it started', [replayRow]);
  return { flood, rows, replays: replayRow };
};
