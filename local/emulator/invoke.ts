import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A Lambda handler in the Node.js 24 runtime's style: async, `(event, context)`, no callback. */
// biome-ignore lint/suspicious/noExplicitAny: handlers declare their own event types.
export type Handler = (event: any, context: Context) => unknown;

/** How an invocation ended: the handler's JSON result, or its error (a timeout is an error). */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: Error };

/** The function the runtime runs, and its configuration. */
export interface RuntimeOptions {
  handler: Handler;
  functionName: string;
  timeoutMs: number;
  region: string;
}

/** Runs invocations like one warm Lambda container, and knows which are still in flight. */
export interface Runtime {
  invoke(event: unknown): Promise<Outcome>;
  /** Resolves when every invocation started so far has finished or timed out. */
  drain(): Promise<void>;
}

/** The error a timed-out invocation fails with, worded like Lambda's. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** A runtime for one handler: every invocation with a fresh event, a context and a deadline. */
export const createRuntime = (options: RuntimeOptions): Runtime => {
  const inFlight = new Set<Promise<Outcome>>();
  return {
    invoke: (event) => {
      const run = invokeOnce(options, event);
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      return run;
    },
    drain: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
};

const invokeOnce = async (options: RuntimeOptions, event: unknown): Promise<Outcome> => {
  const deadline = Date.now() + options.timeoutMs;
  const context = createContext(options, () => Math.max(0, deadline - Date.now()));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = (options.timeoutMs / 1000).toFixed(2);
      reject(new TimeoutError(`Task timed out after ${seconds} seconds`));
    }, options.timeoutMs);
  });
  try {
    // Each invocation gets its own copy of the event, as if it came over the wire. The handler
    // cannot be killed in-process: after a timeout it may keep running, but its result is ignored.
    const fresh = roundTrip(event);
    const result = await Promise.race([
      Promise.resolve().then(() => options.handler(fresh, context)),
      timedOut,
    ]);
    return { ok: true, result: roundTrip(result) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  } finally {
    clearTimeout(timer);
  }
};

/** Lambda serializes results as JSON: `undefined` becomes `null`. */
const roundTrip = (value: unknown): unknown => {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
};

const createContext = (options: RuntimeOptions, remaining: () => number): Context => {
  const { functionName, region } = options;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    // The Node.js runtime gives the memory size as a string.
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: remaining,
    // Callback-era helpers; the Node.js 24 runtime no longer supports them.
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

const unsupported = () => {
  throw new Error('context.done/fail/succeed are not supported in the Node.js 24 runtime');
};
