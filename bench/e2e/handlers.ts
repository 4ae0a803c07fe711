/**
 * The handlers the end-to-end benches run, instrumented (see instrument.ts), as module exports
 * so the emulator can load them as `bench/e2e/handlers.ts#chat` (or `#seeds`) into a container
 * of its own: `chat` is the real handler, `seeds` the seeds' naive one (bench/e2e/seeds).
 */
import { createDeps } from '../../src/deps.js';
import { createHandler } from '../../src/router/create-handler.js';
import { createDocumentClient, createStore } from '../../src/store/index.js';
import { instrumentHandler } from './instrument.js';
import { createSeedsDeps, createSeedsHandler } from './seeds/handler.js';

/**
 * `createHandler` with the same deps as `src/router/index.ts`, built from the same environment,
 * but with a metered DynamoDB client and a counted poster.
 */
export const chat = instrumentHandler((meter) => {
  const base = createDeps();
  const client = createDocumentClient();
  meter.dynamo(client);
  const deps = {
    ...base,
    store: createStore({ client, tableName: base.store.tableName }),
    api: {
      post: (connectionId: string, data: string) => {
        meter.post();
        return base.api.post(connectionId, data);
      },
      delete: (connectionId: string) => base.api.delete(connectionId),
    },
  };
  return createHandler(() => deps);
});

/** The seeds' handler over its own SDK clients, with DynamoDB requests and posts counted. */
export const seeds = instrumentHandler((meter) => {
  const deps = createSeedsDeps();
  meter.dynamo(deps.db);
  deps.api.middlewareStack.add(
    (next) => (args) => {
      meter.post();
      return next(args);
    },
    { step: 'initialize', name: 'benchPostCounter' },
  );
  return createSeedsHandler(deps);
});
