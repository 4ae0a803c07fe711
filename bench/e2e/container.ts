import { createDeps } from '../../src/deps.js';
import { createHandler } from '../../src/router/create-handler.js';
import { createDocumentClient, createStore } from '../../src/store/index.js';
import { instrumentContainer } from './instrument.js';
import { createLeanPoster } from './lean-post.js';

export type { BenchContainer, ContainerSnapshot } from './instrument.js';

/**
 * One warm Lambda container running the real handler (`createHandler` with the same deps as
 * `src/router/index.ts`, built from the same environment), instrumented by `instrumentContainer`.
 */
export const createBenchContainer = ({ poster = 'sdk' }: { poster?: 'sdk' | 'lean' } = {}) =>
  instrumentContainer((meter) => {
    const base = createDeps();
    const client = createDocumentClient();
    meter.dynamo(client);
    // 'lean': bench/e2e/lean-post.ts's own signer in place of the shipped poster (src/gateway).
    const api =
      poster === 'lean'
        ? createLeanPoster(process.env.CALLBACK_URL ?? '', base.broadcastConcurrency)
        : base.api;
    const deps = {
      ...base,
      store: createStore({ client, tableName: base.store.tableName }),
      api: {
        post: (connectionId: string, data: string) => {
          meter.post();
          return api.post(connectionId, data);
        },
      },
    };
    return createHandler(() => deps);
  });
