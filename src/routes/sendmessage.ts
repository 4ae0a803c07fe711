import * as v from 'valibot';
import { postMessageToRoom } from '../broadcast/room-poster.js';
import { admitFrame } from '../budgets/admission.js';
import { messageBudget, noteRecipients, replyRoomBusy } from '../budgets/room-budget.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { announceLeaves } from '../presence/announce.js';
import { messageFrame } from '../protocol/frames.js';
import { firstIssue } from '../protocol/issues.js';
import { SendMessageBody } from '../protocol/requests.js';
import { reply, replyError } from '../reply.js';
import {
  DEDUPE_WINDOW_SECONDS,
  IdReusedError,
  RoomBusyError,
  SequenceConflictError,
  StoreThrottledError,
} from '../store/index.js';
import { RejectedByReview, replyRejected, reviewedText } from './review-text.js';

/**
 * Validates, appends to the room's log (idempotent on `id`; a new message is reviewed first when
 * a review hook is set, see `createReviewer`) and posts it (`postMessageToRoom`): to the sender at
 * once, its acknowledgement, then to the room, in a batch when the room is busy. Room, sender, seq and time come
 * from the server. A retried `id` gets its original message back, to the sender only; nobody else
 * ever gets a message's `id`.
 */
export const sendMessage = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  // Charged first: a frame the chat refuses still costs a reply.
  const connection = await admitFrame(ctx, {
    budget: 'frames',
    action: 'sendmessage',
    need: 'send',
  });
  if (!connection) return ok;
  const parsed = v.safeParse(SendMessageBody, body);
  if (!parsed.success) {
    const field = parsed.issues[0]?.path?.[0]?.key;
    const code = field === 'id' ? 'invalid_request' : 'invalid_message';
    await replyError(ctx, code, firstIssue(parsed.issues));
    return ok;
  }
  const { store } = ctx.deps;
  const { room } = connection;
  let appended: Awaited<ReturnType<typeof store.appendMessage>>;
  try {
    appended = await store.appendMessage(
      {
        room,
        id: parsed.output.id,
        author: connection.author,
        sender: connection.name,
        userId: connection.userId,
        text: parsed.output.text,
      },
      {
        ...(await messageBudget(ctx, room)),
        // Reviewed only once the store knows the id is new: a retry is answered from the log.
        vet: (text) => reviewedText(ctx, connection, 'sendmessage', text),
      },
    );
  } catch (error) {
    if (error instanceof RejectedByReview) {
      await replyRejected(ctx, 'sendmessage', error, parsed.output.id);
      return ok;
    }
    if (error instanceof RoomBusyError) {
      await replyRoomBusy(ctx, room, error);
      return ok;
    }
    if (error instanceof IdReusedError) {
      await replyError(
        ctx,
        'invalid_request',
        `${error.message}; give each new message its own id (ids are remembered for ${DEDUPE_WINDOW_SECONDS / 3600} hours)`,
      );
      return ok;
    }
    if (!(error instanceof StoreThrottledError || error instanceof SequenceConflictError))
      throw error;
    ctx.log('warn', 'append_failed', { room, error: error.name });
    await replyError(ctx, 'internal', 'the message could not be stored right now; send it again');
    return ok;
  }
  const frame = messageFrame(appended.message);
  if (appended.duplicate) {
    ctx.log('info', 'duplicate_send', { room, seq: appended.message.seq });
    await reply(ctx, frame);
    return ok;
  }
  // The client id goes back to the sender only.
  ctx.deps.metrics.count('MessagesSent');
  const posted = await postMessageToRoom(ctx, connection, appended.message);
  if (posted.counted) noteRecipients(ctx, room, posted.counted);
  ctx.log('info', 'sent', { room, seq: appended.message.seq, ...posted.report });
  await announceLeaves(ctx, room, posted.removed);
  return ok;
};
