import type { Context } from 'aws-lambda';
import type { Handler } from '../../local/emulator/index.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createHandler } from '../../src/router/create-handler.js';

/**
 * The chat's handler as `src/router/index.ts` makes it, but on `now` (a clock the test moves),
 * for an emulator that runs it in-process; `inFlight()` counts its invocations still running.
 */
export const chatOnClock = (now: () => number) => {
  let deps: Deps | undefined;
  // Created on the first invocation, once the emulator has set the environment.
  const chat = createHandler(() => {
    deps ??= createDeps(process.env, now);
    return deps;
  }) as unknown as (event: unknown, context: Context) => Promise<unknown>;
  let running = 0;
  const handler: Handler = async (event, context) => {
    running += 1;
    try {
      return await chat(event, context);
    } finally {
      running -= 1;
    }
  };
  return { handler, inFlight: () => running };
};
