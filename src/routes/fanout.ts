import { postToShards } from '../broadcast/room-poster.js';
import type { InvocationContext } from '../context.js';
import type { FanoutRequest } from '../protocol/invocations.js';

/** A fan-out worker: posts its share of a big room's frame and returns what happened. */
export const fanoutWorker = async ({ fanout: work }: FanoutRequest, ctx: InvocationContext) => {
  const report = await postToShards(ctx, work);
  const { removed: _removed, ...counts } = report;
  ctx.log('debug', 'fanout_worker_done', { room: work.room, shards: work.shards, ...counts });
  return report;
};
