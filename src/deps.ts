import { readConfig } from './config.js';
import { type ConnectionsApi, createConnectionsApi } from './gateway/connections-api.js';
import { createReplayInvoker, type ReplayInvoker } from './gateway/replay-invoker.js';
import { createSecretSource } from './gateway/secret-parameters.js';
import type { ConnectAuth } from './routes/connect-auth.js';
import { createDocumentClient, createStore, type RateLimit, type Store } from './store/index.js';

/** What the routes need from the outside world, created once per container. */
export interface Deps {
  store: Store;
  api: ConnectionsApi;
  invokeReplay: ReplayInvoker;
  broadcastConcurrency: number;
  rateLimit: RateLimit;
  auth: ConnectAuth;
  now: () => number;
}

export const createDeps = (): Deps => {
  const config = readConfig();
  return {
    store: createStore({ client: createDocumentClient(), tableName: config.tableName }),
    api: createConnectionsApi(config.callbackUrl, config.broadcastConcurrency),
    invokeReplay: createReplayInvoker(config.functionName),
    broadcastConcurrency: config.broadcastConcurrency,
    rateLimit: config.rateLimit,
    auth: { ...config.auth, secrets: createSecretSource(config.auth) },
    now: Date.now,
  };
};
