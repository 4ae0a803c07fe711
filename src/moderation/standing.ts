import type { RouteContext } from '../context.js';
import type { Capability } from '../protocol/capabilities.js';
import { type ErrorDetail, errorFrame } from '../protocol/frames.js';
import { countRefusal, replyError } from '../reply.js';
import type { Connection } from '../store/index.js';
import {
  bannedText,
  MODERATION_MAX_AGE_MS,
  mutedText,
  restrictionOf,
  untilOf,
} from './restrictions.js';
import { tellAndClose } from './tell-and-close.js';

/** A frame as its room's moderation sees it: what it needs, which action, whether it is answered. */
export interface FrameStanding {
  /** The capabilities any one of which the frame needs (empty: none). */
  needs: readonly Capability[];
  action: ErrorDetail['action'] | undefined;
  /** Refused without an answer (`typing`). */
  quiet: boolean;
}

/**
 * Checks an admitted frame against its room's moderation state, as this container last read it
 * (at most a second ago): a banned sender is told and closed, whatever it sent; a send, an edit or
 * typing is refused to a muted sender, and to anyone but a moderator in a read-only room; in slow
 * mode a non-moderator's message is charged to their own rate in the room. Deals with a refusal
 * itself, and says whether the frame may go on.
 */
export const inGoodStanding = async (
  ctx: RouteContext,
  connection: Connection,
  frame: FrameStanding,
): Promise<boolean> => {
  const { store, now } = ctx.deps;
  const { room, userId } = connection;
  const state = await store.roomModeration(room, { maxAgeMs: MODERATION_MAX_AGE_MS });
  const at = now();
  const ban = restrictionOf(state.bans, userId, at);
  if (ban) {
    const until = untilOf(ban);
    const frameOfBan = errorFrame('banned', bannedText(room, ban), until ? { until } : {});
    const outcome = await tellAndClose(ctx, ctx.connectionId, frameOfBan);
    ctx.log('info', 'rejected', { code: 'banned', outcome });
    countRefusal(ctx, 'banned');
    return false;
  }
  // Deleting one's own message is no send: a muted sender may still take one back.
  const sends = frame.needs.includes('send') && frame.action !== 'deletemessage';
  if (!sends) return true;
  const mute = restrictionOf(state.mutes, userId, at);
  if (mute) {
    const until = untilOf(mute);
    return refuse(ctx, frame, mutedText(room, mute, at), until ? { until } : {});
  }
  const moderator = connection.capabilities.includes('moderate');
  if (state.readOnly && !moderator) {
    return refuse(
      ctx,
      frame,
      `room ${JSON.stringify(room)} is read-only: only moderators may send`,
    );
  }
  if (frame.action !== 'sendmessage' || state.slowModeSeconds <= 0 || moderator) return true;
  const seconds = state.slowModeSeconds;
  // A connection stored before identities has no public id: it is its own person.
  const person = userId || connection.connectionId;
  const charged = await store.chargeSlowMode(room, person, seconds, at);
  if (charged.outcome !== 'limited') return true;
  const { retryAfterMs } = charged;
  await replyError(
    ctx,
    'rate_limited',
    `slow down: room ${JSON.stringify(room)} is in slow mode, one message per ${seconds} s each; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
    { action: 'sendmessage', retryAfterMs },
  );
  return false;
};

/** A send refused by the room's moderation: `forbidden`, or, when quiet, dropped. */
const refuse = async (
  ctx: RouteContext,
  { action, quiet }: FrameStanding,
  message: string,
  detail: ErrorDetail = {},
) => {
  if (quiet) {
    ctx.log('debug', 'rejected_quietly', { code: 'forbidden' });
    countRefusal(ctx, 'forbidden');
    return false;
  }
  await replyError(ctx, 'forbidden', message, { ...(action ? { action } : {}), ...detail });
  return false;
};
