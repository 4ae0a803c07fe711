import { postEventToRoom } from '../broadcast/room-poster.js';
import { noteRecipients, replyRoomBusy } from '../budgets/room-budget.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { announceLeaves } from '../presence/announce.js';
import { updateFrame } from '../protocol/frames.js';
import { reply, replyError } from '../reply.js';
import {
  type Connection,
  MessageDeletedError,
  MessageNotFoundError,
  NotAuthorError,
  RoomBusyError,
  SequenceConflictError,
  StoreThrottledError,
  type UpdateResult,
} from '../store/index.js';

/**
 * What `editmessage` and `deletemessage` share once the frame is admitted and valid: the store's
 * append (which checks the target and its author), its refusals as clear errors to the caller
 * alone, and the broadcast of the new event, its author first (that is its acknowledgement).
 */
export const applyUpdate = async (
  ctx: RouteContext,
  connection: Connection,
  verb: 'edit' | 'delete',
  target: number,
  append: () => Promise<UpdateResult>,
): Promise<RouteResult> => {
  const { room } = connection;
  // Every refusal names the action, so a client can tell it from one about a message it sent.
  const action = verb === 'edit' ? 'editmessage' : 'deletemessage';
  let result: UpdateResult;
  try {
    result = await append();
  } catch (error) {
    if (error instanceof NotAuthorError) {
      await replyError(ctx, 'forbidden', `only its author can ${verb} message ${target}`, {
        action,
      });
      return ok;
    }
    if (error instanceof MessageNotFoundError) {
      await replyError(ctx, 'not_found', `there is no message ${target} in room "${room}"`, {
        action,
      });
      return ok;
    }
    if (error instanceof MessageDeletedError) {
      await replyError(ctx, 'invalid_request', error.message, { action });
      return ok;
    }
    if (error instanceof RoomBusyError) {
      await replyRoomBusy(ctx, room, error, action);
      return ok;
    }
    if (!(error instanceof StoreThrottledError || error instanceof SequenceConflictError))
      throw error;
    ctx.log('warn', 'update_failed', { room, verb, error: error.name });
    await replyError(ctx, 'internal', `the ${verb} could not be stored right now; send it again`, {
      action,
    });
    return ok;
  }
  const frame = updateFrame(room, result.update);
  if (result.duplicate) {
    ctx.log('info', 'duplicate_update', { room, seq: result.update.seq, target });
    await reply(ctx, frame);
    return ok;
  }
  const posted = await postEventToRoom(ctx, connection, frame);
  noteRecipients(ctx, room, posted.report);
  ctx.log('info', verb === 'edit' ? 'edited' : 'deleted', {
    room,
    seq: result.update.seq,
    target,
    ...posted.report,
  });
  await announceLeaves(ctx, room, posted.removed);
  return ok;
};
