/**
 * The one place the end-to-end benchmarks start what they measure: a local stack around an
 * instrumented handler (its environment, and where it runs), and the three servers compared side
 * by side (the chat, the seeds' naive handler, the bare-ws floor), each measured room by room.
 */
import { readFile } from 'node:fs/promises';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';
import { type BenchContainer, type BenchHandler, createBenchContainer } from './container.js';
import type { Crowd, CrowdParams } from './crowd.js';
import { startFloor } from './floor.js';

/**
 * The app's rate limits out of a benchmark's way: every crowd client comes from 127.0.0.1 (one
 * source network to the chat), and one room or one connection takes all the load.
 */
export const LIFTED_LIMITS = {
  RATE_LIMIT_PER_SECOND: '1000',
  RATE_LIMIT_BURST: '1000',
  HISTORY_PER_MINUTE: '1000000',
  ROOM_RATE_PER_SECOND: '0',
  SOURCE_RATE_PER_SECOND: '0',
  SOURCE_CONNECTS_PER_MINUTE: '0',
  SOURCE_SOCKETS_MAX: '0',
  SOURCE_HISTORY_PER_MINUTE: '0',
  ROOM_NETWORK_SHARE: '0',
  // The fan-out's biggest room is 5,000 members, the default cap, and the room rate (above, off)
  // takes its posts budget with it.
  ROOM_MEMBERS_MAX: '0',
};

/**
 * The handler's environment for the benchmarks: no rate limit in the way, no join/leave notices
 * (a room's setup and teardown, hundreds of joins and leaves in seconds, would otherwise be a
 * notice each to everyone: a cost the presence benchmark measures on its own, which here only
 * starves two cores with cold containers), warnings only.
 */
export const BENCH_ENV = {
  PRESENCE_NOTICES_UP_TO: '0',
  ...LIFTED_LIMITS,
  AWS_LAMBDA_LOG_LEVEL: 'warn',
};

/**
 * Where a stack runs the handler: `containers`, as `npm start` does (a pool of worker threads
 * hosting Lambda-like containers), unless a benchmark compares. `BENCH_RUNTIME=in-process` runs
 * them all on one event loop instead, for a comparison (bench/e2e/storms.ts prints both side by
 * side in one run).
 */
export type Runtime = 'containers' | 'in-process';

const runtimeFor = (fallback: Runtime): Runtime => {
  const value = process.env.BENCH_RUNTIME || fallback;
  if (value === 'containers' || value === 'in-process') return value;
  throw new Error(`BENCH_RUNTIME must be "containers" or "in-process", not "${value}"`);
};

/**
 * Warns (loudly) when `needed` descriptors will not fit under this process's open-file limit
 * (from /proc on Linux): each client holds one in the crowd and one in the server process.
 */
export const checkOpenFiles = async (needed: number) => {
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
  const limit = soft === undefined ? undefined : Number(soft);
  if (limit !== undefined && limit < needed) {
    console.warn(
      `\n!!! ulimit -n is ${limit}, but this run holds about ${needed} sockets per process: ` +
        `raise it (ulimit -n ${needed * 2}) or expect connection failures.\n`,
    );
  }
  return limit;
};

export interface BenchStackOptions
  extends Pick<LocalStackOptions, 'dynamoEndpoint' | 'timeoutMs' | 'review'> {
  handler: BenchHandler;
  tableName: string;
  /** Where the handler runs unless BENCH_RUNTIME says otherwise. */
  runtime: Runtime;
  env: Record<string, string>;
  /** Benchmarks to name in a line saying where their handler runs. */
  note?: string | undefined;
}

/** A local stack running an instrumented handler, for as long as `run` runs. */
export const withBenchStack = async <T>(
  { handler, runtime: fallback, env, note, ...options }: BenchStackOptions,
  run: (stack: LocalStack, container: BenchContainer) => Promise<T>,
) => {
  const runtime = runtimeFor(fallback);
  if (note) {
    const where =
      runtime === 'in-process' ? 'in-process (one event loop)' : 'in Lambda-like containers';
    console.log(`\n${note}: the handler runs ${where} (BENCH_RUNTIME to change)`);
  }
  const container = createBenchContainer(handler);
  const stack = await startLocalStack({
    port: 0,
    quiet: true,
    ...options,
    handler: container.handler,
    runtime,
    env: { ...env, ...container.env },
  });
  try {
    return await run(stack, container);
  } finally {
    await container.idle();
    await stack.stop();
    container.close();
  }
};

/** What a benchmark that shares the bench's one stack is given: the stack as a target, too. */
export interface OnBenchStack {
  quick: boolean;
  stack: LocalStack;
  container: BenchContainer;
  crowd: Crowd;
  target: Target;
}

/** A server under test: where its clients connect, how they join and leave, its meters if any. */
export interface Target {
  name: 'chat' | 'seeds' | 'floor';
  wsUrl: string;
  join: Pick<CrowdParams<'join'>, 'batch' | 'perSecond' | 'awaitReplay'>;
  /** Leaving pace, connections a second; unpaced when absent. */
  closePerSecond?: number;
  container?: BenchContainer | undefined;
}

/**
 * Connects `rooms` on `target` as `group`, runs `warmUp` (unmeasured, unmetered), then `measure`
 * with the handler's meters reset; then the rooms leave. Answers what `measure` answered and what
 * the handler did meanwhile.
 */
export const measureRooms = async <R>(
  crowd: Crowd,
  target: Target,
  { group, rooms }: { group: string; rooms: { room: string; count: number }[] },
  measure: () => Promise<R>,
  warmUp?: () => Promise<unknown>,
) => {
  const joined = await crowd.ask('join', { url: target.wsUrl, group, rooms, ...target.join });
  const expected = rooms.reduce((sum, { count }) => sum + count, 0);
  if (joined.connected < expected) {
    console.warn(
      `\n!!! ${group}: only ${joined.connected} of ${expected} clients connected (${joined.firstError})\n`,
    );
  }
  await target.container?.idle();
  if (warmUp) {
    await warmUp();
    await target.container?.idle();
  }
  target.container?.reset();
  const result = await measure();
  await target.container?.idle(50);
  const handler = target.container?.snapshot();
  const pace = target.closePerSecond === undefined ? {} : { perSecond: target.closePerSecond };
  await crowd.ask('close', { group, ...pace });
  await target.container?.idle();
  return { result, handler };
};

/**
 * Runs `measure` on the chat, then on the seeds' handler (each on a stack of its own, with its
 * own table on one DynamoDB Local; the chat's clients count as joined once their replay arrived,
 * the seeds replay nothing), then on the floor.
 */
export const eachTarget = async <T>(
  stacks: Omit<BenchStackOptions, 'handler' | 'tableName'> & { dynamoEndpoint: string },
  clients: {
    tablePrefix: string;
    join: Omit<Target['join'], 'awaitReplay'>;
    closePerSecond: number;
  },
  measure: (target: Target) => Promise<T>,
) => {
  const onStack = (name: 'chat' | 'seeds') =>
    withBenchStack(
      {
        ...stacks,
        handler: name,
        tableName: `${clients.tablePrefix}-${name}`,
        note: name === 'chat' ? stacks.note : undefined,
      },
      (stack, container) =>
        measure({
          name,
          wsUrl: stack.wsUrl,
          join: { ...clients.join, awaitReplay: name === 'chat' },
          closePerSecond: clients.closePerSecond,
          container,
        }),
    );
  const chat = await onStack('chat');
  const seeds = await onStack('seeds');
  const floor = await startFloor();
  try {
    const join = { batch: 500, perSecond: 50_000, awaitReplay: false };
    return { chat, seeds, floor: await measure({ name: 'floor', wsUrl: floor.wsUrl, join }) };
  } finally {
    await floor.stop();
  }
};
