/**
 * A room's hot path under concurrency: members of one room all send at the same instant (bursts
 * of 20, 100 and 500 members, one message each; and 10 members firing 20 messages each), with
 * the product's default rate limit. The chat (its default, batched delivery), the seeds' naive
 * handler (bench/e2e/seeds) and the bare-ws floor run one after another on one DynamoDB Local,
 * measured by the same clients; the full run adds the chat with batching off (`chat, today`).
 * Run alone: `npx tsx bench/e2e/burst.ts [--quick] [--members=100]` (`--members`: only the
 * scenarios in rooms of those sizes); `npm run bench` runs it with the rest.
 */
import { pathToFileURL } from 'node:url';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { readConfig } from '../../src/config.js';
import { option, printTable } from '../stats.js';
import { burstRows, callRows, type Measured } from './burst-rows.js';
import { type Crowd, startCrowd } from './crowd.js';
import { eachTarget, measureRooms, type Target, withBenchStack } from './servers.js';

/** A room of `members`, whose first `senders` members each send `each` messages at once. */
export interface BurstScenario {
  name: string;
  members: number;
  senders: number;
  each: number;
}

const burstScenarios = (quick: boolean): BurstScenario[] => [
  { name: '20 at once', members: 20, senders: 20, each: 1 },
  // CI's quick run only checks that each shape works: one burst at once, one of repeat senders.
  ...(quick
    ? []
    : [
        { name: '100 at once', members: 100, senders: 100, each: 1 },
        { name: '500 at once', members: 500, senders: 500, each: 1 },
      ]),
  { name: '10 senders x 20', members: 100, senders: 10, each: 20 },
];

/** How long a burst may take to be acknowledged, and then to reach every member. */
const timing = (quick: boolean) => ({
  retryMs: 1_000,
  timeoutMs: quick ? 60_000 : 240_000,
  // Until every member has every message: the chat acknowledges before it fans out, so a
  // 500-member room's last deliveries come a minute after its last acknowledgement.
  drainMs: quick ? 30_000 : 240_000,
});

/**
 * Lambda's maximum function timeout. Every invocation here shares one event loop, so 500
 * concurrent broadcasts queue behind each other for minutes; on AWS each runs in its own container.
 * The shipped 29 s would time them out (and stop the chat's broadcasts short) for that reason alone.
 */
const FUNCTION_TIMEOUT_MS = 900_000;

/** `members`: only the scenarios in rooms of these sizes (all when absent). */
interface BurstOptions {
  quick: boolean;
  members?: number[] | undefined;
}

/**
 * Every scenario against one target, after one unrecorded burst to warm it (JIT, sockets),
 * except in CI's quick run, which only checks that each shape works.
 */
const measureAll = async (
  crowd: Crowd,
  target: Target,
  { quick, members }: BurstOptions,
  label: string = target.name,
) => {
  const all = burstScenarios(quick);
  const scenarios = all.filter((scenario) => !members || members.includes(scenario.members));
  const measured: Measured[] = [];
  const warmUp = quick ? [] : [{ ...(all[0] as BurstScenario), name: 'warm-up' }];
  for (const scenario of [...warmUp, ...scenarios]) {
    const room = `burst-${scenario.members}x${scenario.senders}x${scenario.each}`;
    const group = `${label}-${room}`;
    const { senders, each: messagesPerSender } = scenario;
    const { result, handler } = await measureRooms(
      crowd,
      target,
      { group, rooms: [{ room, count: scenario.members }] },
      () => crowd.ask('burst', { group, room, senders, messagesPerSender, ...timing(quick) }),
    );
    if (scenario.name === 'warm-up') continue;
    measured.push({ scenario, target: label, result, handler });
  }
  return measured;
};

/** Runs the burst scenarios against the chat, the seeds and the floor; prints and returns the rows. */
export const benchBurst = async ({
  quick = false,
  members,
}: {
  quick?: boolean;
  members?: number[] | undefined;
} = {}) => {
  const options = { quick, members };
  // The product's own rate limit: an earlier stack in this process may have set the bench's.
  delete process.env.RATE_LIMIT_PER_SECOND;
  delete process.env.RATE_LIMIT_BURST;
  // Every crowd client connects from 127.0.0.1: a network's limits would count them as one.
  process.env.SOURCE_RATE_PER_SECOND = '0';
  process.env.SOURCE_CONNECTS_PER_MINUTE = '0';
  process.env.SOURCE_SOCKETS_MAX = '0';
  process.env.SOURCE_HISTORY_PER_MINUTE = '0';
  process.env.ROOM_NETWORK_SHARE = '0';
  // A burst of 100 senders in a 100-member room is 10,000 posts, the account's whole second: the
  // room's posts budget would refuse half of it. The burst compares speed; tests prove the budget.
  process.env.ROOM_POSTS_PER_SECOND = '0';
  // The chat's own delivery (batched), whatever window an earlier stack left in this process.
  delete process.env.BATCH_WINDOW_MS;
  const dynamo = await startDynamoDbLocal();
  const crowd = startCrowd();
  let rateLimit: { perSecond: number; burst: number } | undefined;
  let measured: Measured[];
  try {
    const stacks = {
      dynamoEndpoint: dynamo.endpoint,
      runtime: 'containers',
      note: 'Burst',
      env: {
        // The clients count every refused send; a warning per refusal would only flood the output.
        AWS_LAMBDA_LOG_LEVEL: 'error',
        // A room's setup and teardown (hundreds of joins and leaves in seconds) get coalesced
        // occupancy updates at most every 0.5 s, not a notice each to everyone, and the bench's
        // wait for every invocation to end between bursts is not a 5-s trailer's: nothing of a
        // burst (no one joins or leaves during one).
        PRESENCE_NOTICES_UP_TO: '0',
        OCCUPANCY_INTERVAL_MS: '500',
      },
      timeoutMs: FUNCTION_TIMEOUT_MS,
    } as const;
    const clients = { join: { batch: 100, perSecond: 500 }, closePerSecond: 500 };
    const { chat, seeds, floor } = await eachTarget(
      stacks,
      { tablePrefix: 'burst', ...clients },
      (target) => {
        if (target.name === 'chat') rateLimit = readConfig().limits.connection;
        return measureAll(crowd, target, options);
      },
    );
    // Today's delivery beside it (a post per member per message), in the full run only, and in
    // rooms of 100 at most: the goals are at 100, and 500 at once would cost minutes.
    const todayMembers = (members ?? [20, 100]).filter((size) => size <= 100);
    const today =
      quick || todayMembers.length === 0
        ? []
        : await withBenchStack(
            {
              ...stacks,
              handler: 'chat',
              tableName: 'burst-chat-today',
              env: { ...stacks.env, BATCH_WINDOW_MS: '0' },
              note: undefined,
            },
            (stack, container) =>
              measureAll(
                crowd,
                {
                  name: 'chat',
                  wsUrl: stack.wsUrl,
                  join: { ...clients.join, awaitReplay: true },
                  closePerSecond: clients.closePerSecond,
                  container,
                },
                { quick, members: todayMembers },
                'chat, today',
              ),
          ).finally(() => {
            delete process.env.BATCH_WINDOW_MS;
          });
    measured = [...chat, ...today, ...seeds, ...floor];
  } finally {
    crowd.stop();
    await dynamo.stop();
  }
  const limit = `rate limit ${rateLimit?.perSecond}/s, burst ${rateLimit?.burst}`;
  const rows = burstRows(measured);
  printTable(
    `Burst: one room's members send at once (${limit}); ms from the release; x chat = all acked ` +
      "(or last delivery) / chat's; chat = batched delivery (the default), chat, today = " +
      'BATCH_WINDOW_MS=0',
    rows,
  );
  const calls = callRows(measured);
  printTable('Burst: DynamoDB calls per accepted message, by operation', calls);
  return { rateLimit, rows, calls, measured };
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const members = option('members')?.split(',').map(Number);
  await benchBurst({ quick: process.argv.includes('--quick'), members });
}
