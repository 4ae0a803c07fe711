import type { Context } from 'aws-lambda';
import { createDeps, type Deps } from '../../src/deps.js';
import { createHandler } from '../../src/router/create-handler.js';
import { createDocumentClient, createStore } from '../../src/store/index.js';
import { meterCapacity } from '../capacity.js';
import { meterCommands } from './ddb-meter.js';
import { createLeanPoster } from './lean-post.js';

type Meters = {
  capacity: ReturnType<typeof meterCapacity>;
  commands: ReturnType<typeof meterCommands>;
};

/** What one container did since the last reset. */
export interface ContainerSnapshot {
  /** Handler duration per invocation, ms, by route key (`replay` for the self-invoke). */
  durations: Record<string, number[]>;
  posts: number;
  /** Capacity units as DynamoDB Local reports them, by operation. */
  capacity: Record<string, number>;
  /** Requests by operation, transaction items, and the WRU AWS bills for those transactions. */
  commands: { calls: Record<string, number>; transactItems: number; transactWru: number };
}

/**
 * One warm Lambda container running the real handler (`createHandler` with the same deps as
 * `src/router/index.ts`), instrumented: handler duration per route, `@connections` posts, and
 * DynamoDB requests and capacity. Deps are built at the first invocation, after the emulator set
 * the environment, exactly as the handler's own entry point does.
 */
export const createBenchContainer = ({ poster = 'sdk' }: { poster?: 'sdk' | 'lean' } = {}) => {
  const durations = new Map<string, number[]>();
  let posts = 0;
  let inFlight = 0;
  let meters: Meters | undefined;
  let deps: Deps | undefined;

  const build = (): Deps => {
    const base = createDeps();
    const client = createDocumentClient();
    meters = { capacity: meterCapacity(client), commands: meterCommands(client) };
    // 'lean': bench/e2e/lean-post.ts's own signer in place of the shipped poster (src/gateway).
    const api =
      poster === 'lean'
        ? createLeanPoster(process.env.CALLBACK_URL ?? '', base.broadcastConcurrency)
        : base.api;
    return {
      ...base,
      store: createStore({ client, tableName: base.store.tableName }),
      api: {
        post: (connectionId, data) => {
          posts++;
          return api.post(connectionId, data);
        },
      },
    };
  };
  const inner = createHandler(() => {
    deps ??= build();
    return deps;
  });

  const handler = async (event: unknown, context: Context) => {
    const route =
      (event as { requestContext?: { routeKey?: string } }).requestContext?.routeKey ?? 'replay';
    inFlight++;
    const started = performance.now();
    try {
      return await inner(event, context);
    } finally {
      const list = durations.get(route) ?? [];
      if (list.length === 0) durations.set(route, list);
      list.push(performance.now() - started);
      inFlight--;
    }
  };

  return {
    handler,
    reset: () => {
      durations.clear();
      posts = 0;
      meters?.capacity.reset();
      meters?.commands.reset();
    },
    snapshot: (): ContainerSnapshot => ({
      durations: Object.fromEntries(durations),
      posts,
      capacity: meters?.capacity.totals() ?? {},
      commands: meters?.commands.totals() ?? { calls: {}, transactItems: 0, transactWru: 0 },
    }),
    /** Resolves once no invocation has been running for `quietMs`. */
    idle: async (quietMs = 200) => {
      let quietSince = performance.now();
      while (performance.now() - quietSince < quietMs) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        if (inFlight > 0) quietSince = performance.now();
      }
    },
  };
};

export type BenchContainer = ReturnType<typeof createBenchContainer>;
