import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { addDynamo, type DynamoTotals, noDynamo } from '../dynamo-meter.js';
import { METER_CHANNEL_ENV, type MeterReport } from './instrument.js';

/** What one container (or all of a handler's containers) did since the last reset. */
export interface ContainerSnapshot extends DynamoTotals {
  /** Handler duration per invocation, ms, by route key (`replay` for the self-invoke). */
  durations: Record<string, number[]>;
  posts: number;
}

/** The instrumented handlers bench/e2e/handlers.ts exports. */
export type BenchHandler = 'chat' | 'seeds';

const HANDLERS = fileURLToPath(new URL('./handlers.ts', import.meta.url));

const empty = (): ContainerSnapshot => ({ durations: {}, posts: 0, ...noDynamo() });

/** The longest `idle` waits: past any function timeout (the emulator's default is 29 s). */
const IDLE_MAX_MS = 120_000;

/**
 * The bench's side of an instrumented handler (instrument.ts): `handler` is the module spec to
 * give the emulator, `env` the environment it needs (merge it into the stack's), and the reports
 * of every container running it add up here, whether those run in this thread or in workers.
 */
export const createBenchContainer = (name: BenchHandler = 'chat') => {
  const channelName = `bench-meter-${name}-${randomUUID()}`;
  const channel = new BroadcastChannel(channelName);
  channel.unref();
  let inFlight = 0;
  let totals = empty();
  channel.onmessage = (event) => {
    const report = (event as { data: MeterReport }).data;
    if (report.type === 'start') {
      inFlight++;
      return;
    }
    inFlight--;
    const durations = totals.durations[report.route] ?? [];
    totals.durations[report.route] = durations;
    durations.push(report.durationMs);
    totals.posts += report.posts;
    addDynamo(totals, report);
  };

  return {
    handler: `${HANDLERS}#${name}`,
    env: { [METER_CHANNEL_ENV]: channelName } as Record<string, string>,
    reset: () => {
      totals = empty();
    },
    snapshot: (): ContainerSnapshot => structuredClone(totals),
    /**
     * Resolves once no invocation has been running for `quietMs`, or after `maxMs` at most: an
     * invocation that timed out was stopped before it could report its end, and must not hold
     * the benchmark for ever (it says so, and stops counting it).
     */
    idle: async (quietMs = 200, maxMs = IDLE_MAX_MS) => {
      const startedAt = performance.now();
      let quietSince = startedAt;
      while (performance.now() - quietSince < quietMs) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        if (inFlight > 0) quietSince = performance.now();
        if (performance.now() - startedAt > maxMs) {
          console.warn(`[bench] ${inFlight} invocation(s) never reported their end (timed out?)`);
          inFlight = 0;
          return;
        }
      }
    },
    /** Stops listening; the handler's reports go nowhere after this. */
    close: () => channel.close(),
  };
};

/** An instrumented handler as the bench sees it: its module spec, its env, what it measured. */
export type BenchContainer = ReturnType<typeof createBenchContainer>;
