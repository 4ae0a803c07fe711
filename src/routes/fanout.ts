import * as v from 'valibot';
import { broadcast } from '../broadcast/broadcast.js';
import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';
import { MEMBER_SHARDS } from '../store/index.js';

/** The payload a big room's `sendmessage` sends to this same function for each worker. */
export const FanoutRequestSchema = v.object({
  fanout: v.object({
    room: v.string(),
    frame: v.pipe(v.string(), v.minLength(1)),
    shards: v.pipe(
      v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MEMBER_SHARDS - 1))),
      v.minLength(1),
    ),
    skip: v.optional(v.string()),
    deadline: v.number(),
  }),
});

export type FanoutWork = v.InferOutput<typeof FanoutRequestSchema>;

/**
 * A fan-out worker: posts the frame to the members of its shards and returns what happened,
 * stopping by the deadline its caller set so that the caller can still finish the job.
 */
export const fanoutWorker = async (
  { fanout: work }: FanoutWork,
  deps: Deps,
  log: Logger,
  remainingMs: () => number,
) => {
  const report = await broadcast({
    store: deps.store,
    api: deps.api,
    log,
    room: work.room,
    frame: work.frame,
    members: deps.store.listMembers(work.room, { shards: work.shards }),
    ...(work.skip === undefined ? {} : { skip: work.skip }),
    concurrency: deps.broadcastConcurrency,
    remainingMs: () => Math.min(remainingMs(), work.deadline - deps.now()),
    // The deadline already leaves the caller its reserve.
    reserveMs: 0,
  });
  log('debug', 'fanout_worker_done', { room: work.room, shards: work.shards, ...report });
  return report;
};
