import { deliverInBatches } from '../broadcast/batches.js';
import { addReport, broadcast } from '../broadcast/broadcast.js';
import { fanOut } from '../broadcast/fan-out.js';
import { announceLeaves } from '../presence/announce.js';
import { messageFrame, roomMessageFrame } from '../protocol/frames.js';
import type { RouteContext } from '../router/context.js';
import type { ChatMessage, Connection } from '../store/index.js';

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
    metrics: deps.metrics,
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

/**
 * Posts a new message to its room: its acknowledgement (with the client id) to the sender at
 * once, then the room, in batches when batched delivery is on (see `deliverInBatches`: another
 * invocation may deliver it), else by itself, the sender first, as `postEventToRoom` does.
 * `counted`: the room's members as this invocation's posts counted them, if it posted to them.
 */
export const postMessageToRoom = async (
  ctx: RouteContext,
  sender: Connection,
  message: ChatMessage,
) => {
  const windowMs = ctx.deps.batchWindowMs;
  if (windowMs === undefined) {
    const posted = await postEventToRoom(
      ctx,
      sender,
      roomMessageFrame(message),
      messageFrame(message),
    );
    return { ...posted, counted: posted.report };
  }
  const { deps } = ctx;
  const ack = messageFrame(message);
  const acked = await broadcast({
    store: deps.store,
    api: deps.api,
    metrics: deps.metrics,
    log: ctx.log,
    room: sender.room,
    frame: ack,
    first: sender,
    members: noMembers(),
    concurrency: 1,
    remainingMs: ctx.remainingMs,
    now: deps.now,
  });
  const delivery = await deliverInBatches(ctx, { message, from: sender.connectionId }, windowMs);
  // The acknowledgement's counts, and whom its prune removed, join the delivery's.
  addReport(delivery, acked);
  const { removed, counted, ...report } = delivery;
  return {
    report,
    counted,
    announceLeaves: () => announceLeaves(ctx, sender.room, removed),
  };
};

/** No members but the sender, whom `first` names. */
async function* noMembers() {}
