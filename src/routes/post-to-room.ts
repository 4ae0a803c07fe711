import { fanOut } from '../broadcast/fan-out.js';
import { announceLeaves } from '../presence/announce.js';
import type { RouteContext } from '../router/context.js';
import type { Connection } from '../store/index.js';

/**
 * Posts an event of the log (a message, an edit, a deletion) to its room, its sender first (that
 * is the sender's acknowledgement: `senderFrame`, when the sender's differs from the room's), and
 * announces the leaves of the members the posts found gone.
 * Returns the fan-out's counts for the route's log line.
 */
export const postEventToRoom = async (
  ctx: RouteContext,
  sender: Connection,
  frame: string,
  senderFrame: string = frame,
) => {
  const { deps } = ctx;
  const { removed, ...report } = await fanOut({
    store: deps.store,
    api: deps.api,
    log: ctx.log,
    room: sender.room,
    frame,
    first: sender,
    firstFrame: senderFrame,
    concurrency: deps.broadcastConcurrency,
    remainingMs: ctx.remainingMs,
    membersPerWorker: deps.fanoutMembersPerWorker,
    invokeWorker: deps.invokeFanout,
    now: deps.now,
  });
  return {
    report,
    /** Announces the leaves; after the route has logged what it did. */
    announceLeaves: () => announceLeaves(ctx, sender.room, removed),
  };
};
