import * as v from 'valibot';
import { admitFrame } from '../budgets/admission.js';
import { eventBudget } from '../budgets/room-budget.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { firstIssue } from '../protocol/issues.js';
import { EditMessageBody } from '../protocol/requests.js';
import { replyError } from '../reply.js';
import { RejectedByReview, replyRejected, reviewedText } from './review-text.js';
import { applyUpdate } from './update-message.js';

/**
 * Appends an edit of one of the caller's own messages to the room's log and broadcasts it. The
 * original event stays as it was; readers get the message in its edited state.
 */
export const editMessage = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  // Charged first: a frame the chat refuses still costs a reply.
  const connection = await admitFrame(ctx, {
    budget: 'frames',
    action: 'editmessage',
    need: 'send',
  });
  if (!connection) return ok;
  const parsed = v.safeParse(EditMessageBody, body);
  if (!parsed.success) {
    const field = parsed.issues[0]?.path?.[0]?.key;
    const code = field === 'message' ? 'invalid_message' : 'invalid_request';
    await replyError(ctx, code, firstIssue(parsed.issues), { action: 'editmessage' });
    return ok;
  }
  const { seq, message } = parsed.output;
  const { store } = ctx.deps;
  // Reviewed before the store checks the target and its author: an edit has no id to retry with.
  let text: string;
  try {
    text = await reviewedText(ctx, connection, 'editmessage', message);
  } catch (error) {
    if (!(error instanceof RejectedByReview)) throw error;
    await replyRejected(ctx, 'editmessage', error);
    return ok;
  }
  return applyUpdate(ctx, connection, 'edit', seq, async () =>
    store.editMessage(
      {
        room: connection.room,
        target: seq,
        author: connection.author,
        sender: connection.name,
        text,
      },
      await eventBudget(ctx, connection.room),
    ),
  );
};
