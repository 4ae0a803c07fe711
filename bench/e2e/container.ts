import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { type CommandTotals, METER_CHANNEL_ENV, type MeterReport } from './meter-channel.js';

/** What one container (or all of a handler's containers) did since the last reset. */
export interface ContainerSnapshot {
  /** Handler duration per invocation, ms, by route key (`replay` for the self-invoke). */
  durations: Record<string, number[]>;
  posts: number;
  /** Capacity units as DynamoDB Local reports them, by operation. */
  capacity: Record<string, number>;
  /** Requests by operation, transaction items, and the WRU AWS bills for those transactions. */
  commands: CommandTotals;
}

/** The instrumented handlers bench/e2e/handlers.ts exports. */
export type BenchHandler = 'chat' | 'seeds';

const HANDLERS = fileURLToPath(new URL('./handlers.ts', import.meta.url));

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
};

/**
 * The bench's side of an instrumented handler: `handler` is the module spec to give the emulator,
 * `env` the environment it needs (merge it into the stack's), and the reports of every container
 * running it add up here, whether those run in this thread or in worker threads.
 */
export const createBenchContainer = (name: BenchHandler = 'chat') => {
  const channelName = `bench-meter-${name}-${randomUUID()}`;
  const channel = new BroadcastChannel(channelName);
  channel.unref();
  let inFlight = 0;
  let durations = new Map<string, number[]>();
  let posts = 0;
  let capacity: Record<string, number> = {};
  let commands: CommandTotals = { calls: {}, transactItems: 0, transactWru: 0 };
  channel.onmessage = (event) => {
    const report = (event as { data: MeterReport }).data;
    if (report.type === 'start') {
      inFlight++;
      return;
    }
    inFlight--;
    const list = durations.get(report.route) ?? [];
    if (list.length === 0) durations.set(report.route, list);
    list.push(report.durationMs);
    posts += report.posts;
    add(capacity, report.capacity);
    add(commands.calls, report.commands.calls);
    commands.transactItems += report.commands.transactItems;
    commands.transactWru += report.commands.transactWru;
  };

  return {
    handler: `${HANDLERS}#${name}`,
    env: { [METER_CHANNEL_ENV]: channelName } as Record<string, string>,
    reset: () => {
      durations = new Map();
      posts = 0;
      capacity = {};
      commands = { calls: {}, transactItems: 0, transactWru: 0 };
    },
    snapshot: (): ContainerSnapshot => ({
      durations: Object.fromEntries([...durations].map(([route, list]) => [route, [...list]])),
      posts,
      capacity: { ...capacity },
      commands: { ...commands, calls: { ...commands.calls } },
    }),
    /** Resolves once no invocation has been running for `quietMs`. */
    idle: async (quietMs = 200) => {
      let quietSince = performance.now();
      while (performance.now() - quietSince < quietMs) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        if (inFlight > 0) quietSince = performance.now();
      }
    },
    /** Stops listening; the handler's reports go nowhere after this. */
    close: () => channel.close(),
  };
};

/** An instrumented handler as the bench sees it: its module spec, its env, what it measured. */
export type BenchContainer = ReturnType<typeof createBenchContainer>;
