import type { RouteContext } from '../context.js';
import type { ErrorDetail } from '../protocol/frames.js';
import { NetworkShareError, type RoomBudget, type RoomBusyError } from '../store/index.js';
import { replyRateLimited } from './admission.js';

/**
 * What limits an event (a message, an edit, a deletion) the caller sends to its room: the room's
 * rate in write units, the posts it will ask for (one per member, the caller's acknowledgement
 * included) and the caller's network's share of the room. Nothing when the room's rate is off.
 */
export const eventBudget = async (
  ctx: RouteContext,
  room: string,
  { posts = true }: { posts?: boolean } = {},
): Promise<RoomBudget> =>
  ctx.deps.limits.room
    ? { roomRate: ctx.deps.limits.room, ...(await postsAndShare(ctx, room, posts ? 0 : undefined)) }
    : {};

/**
 * What limits a new message: an event's budget, but for its posts when batched delivery is on:
 * then the room's deliverer paces its rounds to the room's posts budget (see `deliverInBatches`)
 * and a busy room's message costs far fewer than one post per member.
 */
export const messageBudget = (ctx: RouteContext, room: string): Promise<RoomBudget> =>
  eventBudget(ctx, room, { posts: ctx.deps.batchWindowMs === undefined });

/** What limits a `typing` broadcast beside the room's typing rate: it goes to all but the typist. */
export const typingBudget = (ctx: RouteContext, room: string) => postsAndShare(ctx, room, 1);

/** A room's posts budget and network share; `notPosted` members left out, undefined: no posts. */
const postsAndShare = async (
  ctx: RouteContext,
  room: string,
  notPosted: number | undefined,
): Promise<Omit<RoomBudget, 'roomRate'>> => {
  const { limits, store } = ctx.deps;
  return {
    ...(limits.roomPosts && notPosted !== undefined
      ? {
          posts: {
            perSecond: limits.roomPosts,
            recipients: Math.max(0, (await store.roomSize(room)) - notPosted),
          },
        }
      : {}),
    ...(limits.roomShare ? { share: { sourceIp: ctx.sourceIp, fraction: limits.roomShare } } : {}),
  };
};

/** The members an event's fan-out counted (the gone ones it pruned aside), as counts go. */
interface PostCounts {
  delivered: number;
  arriving: number;
  failed: number;
  unreached: number;
}

/** Remembers the room's size as an event's fan-out just counted it: the next event's recipients. */
export const noteRecipients = (ctx: RouteContext, room: string, posted: PostCounts) => {
  if (!ctx.deps.limits.roomPosts) return;
  const { delivered, arriving, failed, unreached } = posted;
  ctx.deps.store.noteRoomSize(room, delivered + arriving + failed + unreached);
};

/**
 * Tells the caller its room refused the event: everyone in it together is over the room's rate,
 * or the caller's network is over its share of it (others may still be heard).
 */
export const replyRoomBusy = (
  ctx: RouteContext,
  room: string,
  error: RoomBusyError,
  action?: ErrorDetail['action'],
) => {
  ctx.deps.metrics.count(
    `RefusedBudget.${error instanceof NetworkShareError ? 'network' : 'room'}`,
  );
  const limit =
    error instanceof NetworkShareError
      ? `room "${room}" is busy for your network: one network may use at most ${Math.round(error.fraction * 100)}% of it`
      : `room "${room}" is busy: at most ${ctx.deps.limits.room?.perSecond} write units a second from everyone in it (long messages, edits and big rooms cost more)`;
  return replyRateLimited(ctx, limit, error.retryAfterMs, action);
};
