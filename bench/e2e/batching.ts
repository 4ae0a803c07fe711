/**
 * Batched delivery side by side (issue 27): the chat with batching off (`BATCH_WINDOW_MS=0`,
 * "today": every message posted to its room by its own invocation) and on (the default window),
 * one stack after the other on one DynamoDB Local, on `npm start`'s default runtime, measured by
 * the same clients: a busy 100-member room where 10 members send 10 messages a second each, and a
 * quiet room where one member sends one message at a time. Prints what the account's post quota
 * then allows in rooms of 100, 1,000 and 5,000 members.
 * Run alone: `npx tsx bench/e2e/batching.ts [--quick]`; `npm run bench` runs it with the rest.
 */
import { pathToFileURL } from 'node:url';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { readConfig } from '../../src/config.js';
import { addDynamo, noDynamo } from '../dynamo-meter.js';
import { printTable, round } from '../stats.js';
import {
  ACCOUNT_POSTS_PER_SECOND,
  QUOTA_ROOM_SIZES,
  quotaRows,
  roundPeriodMs,
} from './batching-quota.js';
import { busyFigures, quietFigures, type Side, sideBySide } from './batching-rows.js';
import type { ContainerSnapshot } from './container.js';
import { type Crowd, type CrowdAnswer, startCrowd } from './crowd.js';
import { BENCH_ENV, measureRooms, type Target, withBenchStack } from './servers.js';
import { warmDynamo } from './warm-dynamo.js';

const SIDES: { side: Side; env: Record<string, string> }[] = [
  { side: 'today', env: { BATCH_WINDOW_MS: '0' } },
  // No BATCH_WINDOW_MS: the handler's default, as `npm start` runs it.
  { side: 'batched', env: {} },
];

/**
 * The busy room. `--quick` (CI) only checks that it works: 30 members for 1.5 s, so that
 * each side's backlog (this machine does not keep up with 100 messages a second) clears within
 * seconds.
 */
const busyFor = (quick: boolean) => ({
  members: quick ? 30 : 100,
  senders: 10,
  perSecond: 10,
  durationMs: quick ? 1_500 : 10_000,
  warmUpMs: quick ? 200 : 1_000,
  // Today's delivery of 100 messages a second to 100 members is 10,000 posts a second, more than
  // this machine posts: its last deliveries come long after the last send.
  drainMs: quick ? 60_000 : 300_000,
});

/**
 * The quiet room: each message waits until everyone has the previous one, then 4 windows more,
 * so that every message meets a room with no delivery within the window (a quiet room's).
 */
const quietFor = (quick: boolean) => ({
  members: 5,
  warmup: quick ? 2 : 3,
  messages: quick ? 8 : 40,
  gapMs: 200,
  timeoutMs: 30_000,
});

/** The handler's window on a side, as its environment makes it (0: off). */
const windowOf = (env: Record<string, string>) =>
  readConfig({ ...process.env, ...BENCH_ENV, ...env }).batchWindowMs ?? 0;

interface Measured<K extends 'paced' | 'fanout'> {
  result: CrowdAnswer<K>;
  handler: ContainerSnapshot;
}

const targetOn = (wsUrl: string, container: Target['container']): Target => ({
  name: 'chat',
  wsUrl,
  join: { batch: 100, perSecond: 500, awaitReplay: true },
  closePerSecond: 500,
  container,
});

/** One side's stack, for as long as `run` runs; no window left in the environment by another. */
const onSide = <T>(
  side: (typeof SIDES)[number],
  dynamoEndpoint: string,
  name: string,
  run: (target: Target) => Promise<T>,
) => {
  // The emulator sets a stack's environment on this process: a side's window must not leak.
  delete process.env.BATCH_WINDOW_MS;
  return withBenchStack(
    {
      handler: 'chat',
      tableName: `batching-${name}`,
      runtime: 'containers',
      dynamoEndpoint,
      // A join's or leave's occupancy trailer waits out its interval in an invocation, and the
      // bench waits for every invocation to end between phases: 0.5 s, not 5 s, a wait.
      env: { ...BENCH_ENV, OCCUPANCY_INTERVAL_MS: '500', ...side.env },
    },
    (stack, container) => run(targetOn(stack.wsUrl, container)),
  ).finally(() => {
    delete process.env.BATCH_WINDOW_MS;
    delete process.env.OCCUPANCY_INTERVAL_MS;
  });
};

const measureBusy = async (crowd: Crowd, target: Target, side: Side, quick: boolean) => {
  const { members, senders, perSecond, durationMs, warmUpMs, drainMs } = busyFor(quick);
  const [group, room] = [`batching-busy-${side}`, `busy-${side}`];
  const send = (idPrefix: string, ms: number) =>
    crowd.ask('paced', { group, room, senders, perSecond, durationMs: ms, drainMs, idPrefix });
  const { result, handler } = await measureRooms(
    crowd,
    target,
    { group, rooms: [{ room, count: members }] },
    () => send(`${side}-busy`, durationMs),
    () => send(`${side}-warm`, warmUpMs),
  );
  return { result, handler: handler ?? empty() } satisfies Measured<'paced'>;
};

const measureQuiet = async (
  crowd: Crowd,
  target: Target,
  side: Side,
  quick: boolean,
  n: number,
) => {
  const { members, warmup, ...probe } = quietFor(quick);
  const [group, room] = [`batching-quiet-${side}-${n}`, `quiet-${side}-${n}`];
  const send = (messages: number) =>
    crowd.ask('fanout', { group, room, ...probe, warmup: 0, messages });
  const { result, handler } = await measureRooms(
    crowd,
    target,
    { group, rooms: [{ room, count: members }] },
    () => send(probe.messages),
    () => send(warmup),
  );
  return { result, handler: handler ?? empty() } satisfies Measured<'fanout'>;
};

const empty = (): ContainerSnapshot => ({ durations: {}, posts: 0, ...noDynamo() });

/** The quiet room's samples of one side, pooled over its rounds. */
const pooled = (rounds: Measured<'fanout'>[]): Measured<'fanout'> => ({
  result: {
    members: rounds[0]?.result.members ?? 0,
    last: rounds.flatMap((r) => r.result.last),
    first: rounds.flatMap((r) => r.result.first),
    ack: rounds.flatMap((r) => r.result.ack),
    missing: rounds.reduce((sum, r) => sum + r.result.missing, 0),
  },
  handler: rounds.reduce((into, r) => {
    into.posts += r.handler.posts;
    addDynamo(into, r.handler);
    for (const [route, ms] of Object.entries(r.handler.durations)) {
      into.durations[route] = [...(into.durations[route] ?? []), ...ms];
    }
    return into;
  }, empty()),
});

/**
 * Today's side, then the batched side, each on a stack of its own: the busy room, then a quiet
 * room. The full run measures the quiet room once more on fresh stacks in the other order
 * (batched, then today), so that neither side gains by coming later.
 */
export const benchBatching = async ({ quick = false } = {}) => {
  const started = performance.now();
  const dynamo = await startDynamoDbLocal();
  // CI's quick run only checks that it works: each side's warm-up messages are enough there.
  if (!quick) await warmDynamo(dynamo.endpoint);
  const crowd = startCrowd();
  const busy = {} as Record<Side, Measured<'paced'>>;
  const quiet: Record<Side, Measured<'fanout'>[]> = { today: [], batched: [] };
  try {
    for (const side of SIDES) {
      await onSide(side, dynamo.endpoint, side.side, async (target) => {
        busy[side.side] = await measureBusy(crowd, target, side.side, quick);
        quiet[side.side].push(await measureQuiet(crowd, target, side.side, quick, 0));
      });
    }
    if (!quick) {
      for (const side of SIDES.toReversed()) {
        await onSide(side, dynamo.endpoint, `${side.side}-quiet`, async (target) => {
          quiet[side.side].push(await measureQuiet(crowd, target, side.side, quick, 1));
        });
      }
    }
  } finally {
    crowd.stop();
    await dynamo.stop();
  }
  const windows = Object.fromEntries(SIDES.map(({ side, env }) => [side, windowOf(env)]));
  const load = busyFor(quick);
  const busyRows = {
    today: busyFigures(busy.today),
    batched: busyFigures(busy.batched),
  };
  printTable(
    `Batched delivery, busy room: ${load.members} members, ${load.senders} of them sending ` +
      `${load.perSecond} a second each for ${load.durationMs / 1000} s (open loop); ` +
      `window today ${windows.today} ms, batched ${windows.batched} ms`,
    sideBySide(busyRows),
  );
  const quietRows = {
    today: quietFigures(pooled(quiet.today)),
    batched: quietFigures(pooled(quiet.batched)),
  };
  const quietProbe = quietFor(quick);
  printTable(
    `Batched delivery, quiet room: ${quietProbe.members} members, one message at a time ` +
      `(${quiet.today.length} x ${quietProbe.messages} per side), ${quietProbe.gapMs} ms after ` +
      'the last member had the previous one',
    sideBySide(quietRows),
  );
  const rate = busyRows.batched['offered msgs/s'];
  const quota = quotaRows({
    quota: ACCOUNT_POSTS_PER_SECOND,
    sizes: QUOTA_ROOM_SIZES,
    today: busyRows.today['frames/other member/msg'],
    batched: busyRows.batched['frames/other member/msg'],
    ratePerSecond: rate,
  });
  const period = roundPeriodMs(busyRows.batched['frames/other member/msg'], rate);
  printTable(
    `Highest sustained msgs/s in one room under the account's ${ACCOUNT_POSTS_PER_SECOND} posts/s, ` +
      `from the busy room's frames per member per message (batched: measured at ${rate} msgs/s; ` +
      `a round lasted ${round(period, 0)} ms)`,
    quota,
  );
  const goals = {
    framesPerMemberPerMessage: busyRows.batched['frames/member/msg'],
    everyMessageDelivered:
      busyRows.batched.missing === 0 &&
      busyRows.batched.duplicates === 0 &&
      busyRows.batched.accepted === busyRows.batched.sent,
    quietP50Ratio: round(quietRows.batched['p50 ms'] / quietRows.today['p50 ms'], 2),
  };
  console.log(
    `goals: frames per member per message ${goals.framesPerMemberPerMessage} (at most 0.25); ` +
      `every message delivered once: ${goals.everyMessageDelivered ? 'yes' : 'NO'}; ` +
      `quiet p50 batched / today ${goals.quietP50Ratio} (at most 1.1)`,
  );
  const seconds = round((performance.now() - started) / 1000, 0);
  console.log(`batching, side by side: ${seconds} s`);
  return { windows, load, quietProbe, busy: busyRows, quiet: quietRows, quota, goals, seconds };
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchBatching({ quick: process.argv.includes('--quick') });
}
