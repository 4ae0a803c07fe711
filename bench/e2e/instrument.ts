import { BroadcastChannel } from 'node:worker_threads';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { Handler } from '../../local/emulator/index.js';
import { meterCapacity } from '../capacity.js';
import { meterCommands } from './ddb-meter.js';
import { METER_CHANNEL_ENV, type MeterReport } from './meter-channel.js';

/** The hooks a container's handler is built with: meter its DynamoDB client, count its posts. */
export interface Meter {
  dynamo(client: DynamoDBDocumentClient): void;
  post(): void;
}

/**
 * The handler `build` returns, instrumented as one warm Lambda container: it reports each
 * invocation's route and duration, and the `@connections` posts, DynamoDB requests and capacity
 * since its previous report, on the channel `BENCH_METER_CHANNEL` names (see meter-channel.ts).
 * The handler is built at the first invocation, after the emulator set the environment, as a
 * module's top level would be. All state lives in the closure: one per module load (container).
 */
export const instrumentHandler = (build: (meter: Meter) => Handler): Handler => {
  let posts = 0;
  let meters:
    | { capacity: ReturnType<typeof meterCapacity>; commands: ReturnType<typeof meterCommands> }
    | undefined;
  let inner: Handler | undefined;
  let channel: BroadcastChannel | undefined;
  const meter: Meter = {
    dynamo: (client) => {
      meters = { capacity: meterCapacity(client), commands: meterCommands(client) };
    },
    post: () => {
      posts++;
    },
  };
  const report = (message: MeterReport) => channel?.postMessage(message);

  return async (event: unknown, context: Context) => {
    const route =
      (event as { requestContext?: { routeKey?: string } }).requestContext?.routeKey ?? 'replay';
    if (!channel) {
      const name = process.env[METER_CHANNEL_ENV];
      if (!name) throw new Error(`environment variable ${METER_CHANNEL_ENV} is not set`);
      channel = new BroadcastChannel(name);
      // A container's channel must not keep its thread alive.
      channel.unref();
    }
    report({ type: 'start' });
    const started = performance.now();
    try {
      inner ??= build(meter);
      return await inner(event, context);
    } finally {
      const durationMs = performance.now() - started;
      report({
        type: 'end',
        route,
        durationMs,
        posts,
        capacity: meters?.capacity.totals() ?? {},
        commands: meters?.commands.totals() ?? { calls: {}, transactItems: 0, transactWru: 0 },
      });
      posts = 0;
      meters?.capacity.reset();
      meters?.commands.reset();
    }
  };
};
