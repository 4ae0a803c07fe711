import { broadcast } from '../broadcast/broadcast.js';
import type { FanoutRequest } from '../protocol/invocations.js';
import type { InvocationContext } from '../router/context.js';

/**
 * A fan-out worker: posts the frame to the members of its shards and returns what happened,
 * stopping by the deadline its caller set so that the caller can still finish the job.
 */
export const fanoutWorker = async (
  { fanout: work }: FanoutRequest,
  { deps, log, remainingMs }: InvocationContext,
) => {
  const report = await broadcast({
    store: deps.store,
    api: deps.api,
    metrics: deps.metrics,
    log,
    room: work.room,
    frame: work.frame,
    members: deps.store.listMembers(work.room, { shards: work.shards }),
    ...(work.skip === undefined ? {} : { skip: work.skip }),
    variants: work.variants,
    concurrency: deps.broadcastConcurrency,
    remainingMs: () => Math.min(remainingMs(), work.deadline - deps.now()),
    // The deadline already leaves the caller its reserve.
    reserveMs: 0,
    now: deps.now,
  });
  const { removed: _removed, ...counts } = report;
  log('debug', 'fanout_worker_done', { room: work.room, shards: work.shards, ...counts });
  return report;
};
