import { postEventToRoom } from '../broadcast/room-poster.js';
import { eventBudget, noteRecipients, replyRoomBusy } from '../budgets/room-budget.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { announceLeaves } from '../presence/announce.js';
import { errorFrame } from '../protocol/frames.js';
import { moderationFrame } from '../protocol/moderation-frames.js';
import type { ModerationAction } from '../protocol/routes.js';
import { replyError } from '../reply.js';
import {
  type Connection,
  type Member,
  type ModerationEvent,
  ModerationFullError,
  type NewModeration,
  NotRestrictedError,
  RoomBusyError,
  StoreError,
} from '../store/index.js';
import { bannedText, kickedText } from './restrictions.js';
import { tellAndClose } from './tell-and-close.js';

/** An action as a route asks for it: the store's, without the room, the moderator or the name. */
export type ModerationRequest = NewModeration extends infer A
  ? A extends NewModeration
    ? Omit<A, 'room' | 'by' | 'name'>
    : never
  : never;

/**
 * What every moderation route does once its frame is admitted and valid: finds the target's
 * connections in the room (its name comes from them), appends the action to the room's log and
 * state, closes the target's connections when it is a kick or a ban (each told why first), and
 * broadcasts the event to the room, the moderator included (that is its acknowledgement).
 * Refusals go to the moderator alone, naming the action.
 *
 * A ban lists the room's members again once it is stored: a connection that registered meanwhile
 * is either in that list or reads the ban after registering (`$connect` does), never neither.
 */
export const applyModeration = async (
  ctx: RouteContext,
  moderator: Connection,
  request: ModerationRequest,
): Promise<RouteResult> => {
  const { room } = moderator;
  const { action } = request;
  const targets = 'userId' in request ? await connectionsOf(ctx, room, request.userId) : [];
  if (action === 'kick' && targets.length === 0) {
    const who = `nobody with userId ${request.userId} is in room ${JSON.stringify(room)}`;
    await replyError(ctx, 'not_found', who, { action });
    return ok;
  }
  const name = targets[0]?.name;
  const event = await append(ctx, moderator, {
    ...request,
    room,
    by: { userId: moderator.userId, name: moderator.name },
    ...(name !== undefined ? { name } : {}),
  } as NewModeration);
  if (!event) return ok;
  const removal = removalFrame(room, event);
  const closing = action === 'ban' ? await connectionsOf(ctx, room, request.userId) : targets;
  const removed = removal
    ? await Promise.all(closing.map((target) => tellAndClose(ctx, target.connectionId, removal)))
    : [];
  const posted = await postEventToRoom(ctx, moderator, moderationFrame(room, event));
  noteRecipients(ctx, room, posted.report);
  ctx.log('info', 'moderated', {
    room,
    seq: event.seq,
    action,
    closed: removed.filter((outcome) => outcome !== 'failed').length,
    ...posted.report,
  });
  await announceLeaves(ctx, room, posted.removed);
  return ok;
};

/** The target's live connections in the room: every member with its public id. */
const connectionsOf = async (ctx: RouteContext, room: string, userId: string) => {
  const found: Member[] = [];
  for await (const page of ctx.deps.store.listMembers(room)) {
    found.push(...page.filter((member) => member.userId === userId));
  }
  return found;
};

/** Appends the action; a refusal is told to the moderator and answers undefined. */
const append = async (
  ctx: RouteContext,
  moderator: Connection,
  action: NewModeration,
): Promise<ModerationEvent | undefined> => {
  const { room } = moderator;
  try {
    return await ctx.deps.store.appendModeration(action, await eventBudget(ctx, room));
  } catch (error) {
    if (error instanceof RoomBusyError) {
      await replyRoomBusy(ctx, room, error, action.action);
      return undefined;
    }
    if (error instanceof ModerationFullError || error instanceof NotRestrictedError) {
      await replyError(ctx, 'invalid_request', error.message, { action: action.action });
      return undefined;
    }
    if (!(error instanceof StoreError)) throw error;
    ctx.log('warn', 'moderation_failed', { room, action: action.action, error: error.name });
    await replyError(
      ctx,
      'internal',
      `the ${action.action} could not be stored right now; send it again`,
      { action: action.action },
    );
    return undefined;
  }
};

/** What a kicked or banned connection is told before it is closed; nothing for other actions. */
const removalFrame = (room: string, event: ModerationEvent) => {
  if (event.action === 'kick') {
    return errorFrame('kicked', kickedText(room, event.by.name, event.reason));
  }
  if (event.action !== 'ban') return undefined;
  const ban = {
    by: event.by.userId,
    seq: event.seq,
    ...(event.until !== undefined ? { until: Date.parse(event.until) } : {}),
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
  };
  return errorFrame('banned', bannedText(room, ban), event.until ? { until: event.until } : {});
};

/** Refuses an action a moderator aims at themselves; says whether it did. */
export const refuseSelf = async (
  ctx: RouteContext,
  moderator: Connection,
  action: Exclude<ModerationAction, 'roomsettings'>,
  userId: string,
) => {
  if (userId !== moderator.userId) return false;
  await replyError(ctx, 'invalid_request', `you cannot ${action} yourself`, { action });
  return true;
};
