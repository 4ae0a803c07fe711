/**
 * The wire between an instrumented handler and the bench: a `BroadcastChannel` (it crosses
 * worker threads, and works within one thread too), named by the environment variable below, so
 * the handler may run in the bench's thread or in a container of the emulator's alike.
 */

/** The environment variable that names the channel a container reports on. */
export const METER_CHANNEL_ENV = 'BENCH_METER_CHANNEL';

/** DynamoDB requests by operation, transaction items, and the WRU AWS bills for them. */
export interface CommandTotals {
  calls: Record<string, number>;
  transactItems: number;
  transactWru: number;
}

/**
 * One message per invocation start (for the bench's in-flight count), and one per end with what
 * the container did since its previous report: never a message per post.
 */
export type MeterReport =
  | { type: 'start' }
  | {
      type: 'end';
      /** The route key, or `replay` for the self-invoke. */
      route: string;
      durationMs: number;
      posts: number;
      /** Capacity units as DynamoDB Local reports them, by operation. */
      capacity: Record<string, number>;
      commands: CommandTotals;
    };
