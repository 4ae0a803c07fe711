import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createContext, roundTrip } from './context.js';
import { timeoutError } from './runtime-errors.js';

export { ThrottledError, TimeoutError } from './runtime-errors.js';

/** A Lambda handler in the Node.js 24 runtime's style: async, `(event, context)`, no callback. */
// biome-ignore lint/suspicious/noExplicitAny: handlers declare their own event types.
export type Handler = (event: any, context: Context) => unknown;

/** How an invocation ended: the handler's JSON result, or its error (a timeout is an error). */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: Error };

/**
 * `sync`: the caller waits for the result (the gateway's routes, `RequestResponse`); refused
 * when the concurrency limit is reached. `async`: an `Event` invocation, queued until a container
 * is free.
 */
export type InvocationType = 'sync' | 'async';

/** Counts for tests and benches: containers made, their cold starts, throttles. */
export interface RuntimeStats {
  mode: 'containers' | 'in-process';
  /** Containers created so far (each one a cold start). */
  containersCreated: number;
  /** The Init Duration of each cold start, in ms, oldest first. */
  initDurationsMs: number[];
  /** Synchronous invocations refused with `TooManyRequestsException`. */
  throttled: number;
  /** Containers alive now, busy or warm. */
  containersAlive: number;
  /** Worker threads hosting them now. */
  workersAlive: number;
  /** Invocations waiting for a container now. */
  queued: number;
}

/** The function the runtime runs, and its configuration. */
export interface RuntimeOptions {
  functionName: string;
  timeoutMs: number;
  region: string;
}

/** Runs invocations of one function, and knows which are still in flight. */
export interface Runtime {
  invoke(event: unknown, type?: InvocationType): Promise<Outcome>;
  /** Resolves when every invocation started so far has finished or timed out. */
  drain(): Promise<void>;
  /** Ends what the runtime started (containers); call after `drain()`. */
  stop(): Promise<void>;
  stats(): RuntimeStats;
}

/**
 * Runs every invocation in this process, as one warm container without a concurrency limit: for
 * handlers given as functions (tests inject faults that way) and for debugging.
 */
export const createInProcessRuntime = (handler: Handler, options: RuntimeOptions): Runtime => {
  const inFlight = new Set<Promise<Outcome>>();
  return {
    invoke: (event) => {
      const run = invokeOnce(handler, options, event);
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      return run;
    },
    drain: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    stop: async () => undefined,
    stats: () => ({
      mode: 'in-process',
      containersCreated: 0,
      initDurationsMs: [],
      throttled: 0,
      containersAlive: 0,
      workersAlive: 0,
      queued: 0,
    }),
  };
};

const invokeOnce = async (
  handler: Handler,
  options: RuntimeOptions,
  event: unknown,
): Promise<Outcome> => {
  const deadline = Date.now() + options.timeoutMs;
  const context = createContext({ ...options, awsRequestId: randomUUID(), deadline });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(options.timeoutMs)), options.timeoutMs);
  });
  try {
    // Each invocation gets its own copy of the event, as if it came over the wire. The handler
    // cannot be killed in-process: after a timeout it may keep running, but its result is ignored.
    const fresh = roundTrip(event);
    const result = await Promise.race([
      Promise.resolve().then(() => handler(fresh, context)),
      timedOut,
    ]);
    return { ok: true, result: roundTrip(result) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  } finally {
    clearTimeout(timer);
  }
};
