import { createDeps } from '../../src/deps.js';
import { createHandler } from '../../src/router/create-handler.js';
import { createDocumentClient, createStore } from '../../src/store/index.js';
import { instrumentContainer } from './instrument.js';

export type { BenchContainer, ContainerSnapshot } from './instrument.js';

/**
 * One warm Lambda container running the real handler (`createHandler` with the same deps as
 * `src/router/index.ts`, built from the same environment), instrumented by `instrumentContainer`.
 */
export const createBenchContainer = () =>
  instrumentContainer((meter) => {
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
      },
    };
    return createHandler(() => deps);
  });
