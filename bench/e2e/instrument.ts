/**
 * The container's side of the bench's meters: an instrumented handler reports on a
 * `BroadcastChannel` (it crosses worker threads, and works within one thread too) named by the
 * environment variable below, so the handler may run in the bench's thread or in a container of
 * the emulator's alike. The bench's side is container.ts.
 */
import { BroadcastChannel } from 'node:worker_threads';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { Handler } from '../../local/emulator/index.js';
import { type DynamoTotals, meterDynamo, noDynamo } from '../dynamo-meter.js';

/** The environment variable that names the channel a container reports on. */
export const METER_CHANNEL_ENV = 'BENCH_METER_CHANNEL';

/**
 * One message per invocation start (for the bench's in-flight count), and one per end with what
 * the container did since its previous report: never a message per post.
 */
export type MeterReport =
  | { type: 'start' }
  | ({ type: 'end'; route: string; durationMs: number; posts: number } & DynamoTotals);

/** The hooks a container's handler is built with: meter its DynamoDB client, count its posts. */
export interface Meter {
  dynamo(client: DynamoDBDocumentClient): void;
  post(): void;
}

/**
 * The handler `build` returns, instrumented as one warm Lambda container: it reports each
 * invocation's route (`replay` for the self-invoke) and duration, and the `@connections` posts
 * and DynamoDB requests since its previous report. The handler is built at the first invocation,
 * after the emulator set the environment, as a module's top level would be. All state lives in
 * the closure: one per module load (container).
 */
export const instrumentHandler = (build: (meter: Meter) => Handler): Handler => {
  let posts = 0;
  let dynamo: ReturnType<typeof meterDynamo> | undefined;
  let inner: Handler | undefined;
  let channel: BroadcastChannel | undefined;
  const meter: Meter = {
    dynamo: (client) => {
      dynamo = meterDynamo(client);
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
      report({ type: 'end', route, durationMs, posts, ...(dynamo?.totals() ?? noDynamo()) });
      posts = 0;
      dynamo?.reset();
    }
  };
};
