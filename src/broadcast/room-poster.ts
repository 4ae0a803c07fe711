import type { PostingContext, RouteContext } from '../context.js';
import { messageFrame, roomMessageFrame } from '../protocol/frames.js';
import type { FanoutRequest } from '../protocol/invocations.js';
import type { ChatMessage, Connection } from '../store/index.js';
import { deliverInBatches } from './batches.js';
import { addReport, broadcast } from './broadcast.js';
import { fanOut } from './fan-out.js';
import { postingOptions } from './posting-options.js';

/**
 * Posts a frame to a room (all but `skip`), split across invocations like a message in a big
 * room, and returns the connections its prunes removed: their leaves are the caller's to announce.
 * A member still connecting is passed by like for a message: its replay's presence snapshot tells
 * it the room as it is.
 */
export const postToRoom = async (
  ctx: PostingContext,
  room: string,
  frame: string,
  skip?: string,
): Promise<Connection[]> => {
  const report = await fanOut({
    ...postingOptions(ctx),
    room,
    frame,
    ...(skip === undefined ? {} : { skip }),
  });
  return report.removed;
};

/**
 * Posts an event of the log (a message, an edit, a deletion) to its room, its sender first (that
 * is the sender's acknowledgement: `senderFrame`, when the sender's differs from the room's).
 * Returns the fan-out's counts for the route's log line, and the connections its prunes removed,
 * whose leaves the route announces after logging.
 */
export const postEventToRoom = async (
  ctx: RouteContext,
  sender: Connection,
  frame: string,
  senderFrame: string = frame,
) => {
  const { removed, ...report } = await fanOut({
    ...postingOptions(ctx),
    room: sender.room,
    frame,
    first: sender,
    firstFrame: senderFrame,
  });
  return { report, removed };
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
  const { store, api, metrics, log, remainingMs, now } = postingOptions(ctx);
  const acked = await broadcast({
    store,
    api,
    metrics,
    log,
    room: sender.room,
    frame: messageFrame(message),
    first: sender,
    members: noMembers(),
    concurrency: 1,
    remainingMs,
    now,
  });
  const delivery = await deliverInBatches(ctx, { message, from: sender.connectionId }, windowMs);
  // The acknowledgement's counts, and whom its prune removed, join the delivery's.
  addReport(delivery, acked);
  const { removed, counted, ...report } = delivery;
  return { report, counted, removed };
};

/** No members but the sender, whom `first` names. */
async function* noMembers() {}

/**
 * A fan-out worker's posts: the frame to the members of its shards, stopping by the deadline its
 * caller set so that the caller can still finish the job.
 */
export const postToShards = (ctx: PostingContext, work: FanoutRequest['fanout']) => {
  const { store, api, metrics, log, concurrency, now } = postingOptions(ctx);
  return broadcast({
    store,
    api,
    metrics,
    log,
    room: work.room,
    frame: work.frame,
    members: store.listMembers(work.room, { shards: work.shards }),
    ...(work.skip === undefined ? {} : { skip: work.skip }),
    variants: work.variants,
    concurrency,
    remainingMs: () => Math.min(ctx.remainingMs(), work.deadline - now()),
    // The deadline already leaves the caller its reserve.
    reserveMs: 0,
    now,
  });
};
