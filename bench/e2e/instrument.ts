import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { Handler } from '../../local/emulator/index.js';
import { meterCapacity } from '../capacity.js';
import { meterCommands } from './ddb-meter.js';

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

/** The hooks a container's handler is built with: meter its DynamoDB client, count its posts. */
export interface Meter {
  dynamo(client: DynamoDBDocumentClient): void;
  post(): void;
}

/**
 * One warm Lambda container running the handler `build` returns, instrumented: duration per
 * invocation by route, `@connections` posts, DynamoDB requests and capacity. The handler is built
 * at the first invocation, after the emulator set the environment, as a module's top level would be.
 */
export const instrumentContainer = (build: (meter: Meter) => Handler) => {
  const durations = new Map<string, number[]>();
  let posts = 0;
  let inFlight = 0;
  let meters:
    | { capacity: ReturnType<typeof meterCapacity>; commands: ReturnType<typeof meterCommands> }
    | undefined;
  let inner: Handler | undefined;
  const meter: Meter = {
    dynamo: (client) => {
      meters = { capacity: meterCapacity(client), commands: meterCommands(client) };
    },
    post: () => {
      posts++;
    },
  };

  const handler = async (event: unknown, context: Context) => {
    const route =
      (event as { requestContext?: { routeKey?: string } }).requestContext?.routeKey ?? 'replay';
    inFlight++;
    const started = performance.now();
    try {
      inner ??= build(meter);
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

/** An instrumented container: its handler for the emulator, and what it measured. */
export type BenchContainer = ReturnType<typeof instrumentContainer>;
