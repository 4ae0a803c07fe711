import { SSMClient } from '@aws-sdk/client-ssm';
import { createOriginGate } from './auth/allowed-origins.js';
import type { ConnectAuth } from './auth/connect-auth.js';
import { moderatorAuthors } from './auth/moderators.js';
import { type Limits, type PresenceSettings, readConfig } from './config.js';
import { type LogWriter, writeToStdout } from './log.js';
import { createMetrics, type Metrics } from './metrics/recorder.js';
import { type ConnectionsApi, createConnectionsApi } from './outbound/connections-api.js';
import { countingThrottles } from './outbound/counted-throttles.js';
import { createReplayInvoker, type ReplayInvoker } from './outbound/replay-invoker.js';
import { createReviewer, type Reviewer } from './outbound/review.js';
import { createPepperSource, createSecretSource } from './outbound/secret-parameters.js';
import { createFanoutInvoker, createLambdaClient } from './outbound/self-invoke.js';
import type { FanoutInvoker } from './protocol/invocations.js';
import { type Connection, createDocumentClient, createStore, type Store } from './store/index.js';

/** What the routes need from the outside world, created once per container. */
export interface Deps {
  store: Store;
  api: ConnectionsApi;
  invokeReplay: ReplayInvoker;
  /** Runs part of a big room's fan-out in another invocation. */
  invokeFanout: FanoutInvoker<Connection>;
  broadcastConcurrency: number;
  /** A room with more members than this has its fan-out split across invocations. */
  fanoutMembersPerWorker: number | undefined;
  /** A busy room's batch window (ms); undefined: batched delivery is off. */
  batchWindowMs: number | undefined;
  limits: Limits;
  presence: PresenceSettings;
  auth: ConnectAuth;
  /** Reviews each message and edit before it is stored; undefined: no review hook. */
  review?: Reviewer | undefined;
  now: () => number;
  /** Where the routes' log lines go. */
  logTo: LogWriter;
  /** The container's metrics, written to the log at the end of each invocation. */
  metrics: Metrics;
}

/**
 * The dependencies Lambda's container gets, configured by its environment; `now` is the one
 * clock of everything the routes do (tests move it: a ban's end, slow mode).
 */
export const createDeps = (
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): Deps => {
  const config = readConfig(env);
  const lambda = createLambdaClient();
  // Made on first use, and only by a container that reads a parameter.
  let ssmClient: SSMClient | undefined;
  const ssm = () => {
    ssmClient ??= new SSMClient({});
    return ssmClient;
  };
  const metrics = createMetrics({
    stage: config.stage,
    enabled: config.metrics,
  });
  const store = createStore({
    client: createDocumentClient({}, (event) =>
      metrics.count(event === 'throttle' ? 'DynamoDBThrottles' : 'ConditionalCheckLosses'),
    ),
    tableName: config.tableName,
    now,
    pepper: createPepperSource(config.auth, { ssm, now }),
  });
  // The moderator keys are hashed into authors on first use and not kept as given.
  const { moderatorKeys, ...auth } = config.auth;
  return {
    store,
    api: countingThrottles(
      createConnectionsApi(config.callbackUrl, config.broadcastConcurrency),
      () => metrics.count('PostsThrottled'),
    ),
    invokeReplay: createReplayInvoker(lambda, config.functionName),
    invokeFanout: createFanoutInvoker(lambda, config.functionName, now),
    broadcastConcurrency: config.broadcastConcurrency,
    fanoutMembersPerWorker: config.fanoutMembersPerWorker,
    batchWindowMs: config.batchWindowMs,
    limits: config.limits,
    presence: config.presence,
    auth: {
      ...auth,
      secrets: createSecretSource(config.auth, { ssm, now }),
      origins: createOriginGate(config.auth, { ssm, now }),
      moderators: moderatorAuthors(moderatorKeys, store.keyedHash),
    },
    review: config.review && createReviewer(lambda, config.review),
    now,
    logTo: writeToStdout,
    metrics,
  };
};
