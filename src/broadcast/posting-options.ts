import type { PostingContext } from '../context.js';

/**
 * What every post to a room takes from its invocation: the clients, the metrics, the log, the
 * time left, and how a big room is split across invocations. One place, so that a message, a
 * notice, a batch and a fan-out worker post alike.
 */
export const postingOptions = ({ deps, log, remainingMs }: PostingContext) => ({
  store: deps.store,
  api: deps.api,
  metrics: deps.metrics,
  log,
  concurrency: deps.broadcastConcurrency,
  remainingMs,
  membersPerWorker: deps.fanoutMembersPerWorker,
  invokeWorker: deps.invokeFanout,
  now: deps.now,
});
