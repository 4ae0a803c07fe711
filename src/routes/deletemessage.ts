import * as v from 'valibot';
import { admitFrame } from '../budgets/admission.js';
import { eventBudget } from '../budgets/room-budget.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { firstIssue } from '../protocol/issues.js';
import { DeleteMessageBody } from '../protocol/requests.js';
import { replyError } from '../reply.js';
import { applyUpdate } from './update-message.js';

/**
 * Appends the deletion of one of the caller's own messages (a moderator's: of anyone's) and
 * broadcasts it; from then on no read sends its text. Deleting it again answers the caller alone
 * with that deletion.
 */
export const deleteMessage = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  // One's own message needs `send`; anyone's, `moderate`.
  const connection = await admitFrame(ctx, {
    budget: 'frames',
    action: 'deletemessage',
    need: ['send', 'moderate'],
  });
  if (!connection) return ok;
  const parsed = v.safeParse(DeleteMessageBody, body);
  if (!parsed.success) {
    await replyError(ctx, 'invalid_request', firstIssue(parsed.issues), {
      action: 'deletemessage',
    });
    return ok;
  }
  const { seq } = parsed.output;
  const { store } = ctx.deps;
  return applyUpdate(ctx, connection, 'delete', seq, async () =>
    store.deleteMessage(
      {
        room: connection.room,
        target: seq,
        author: connection.author,
        sender: connection.name,
        asModerator: connection.capabilities.includes('moderate'),
      },
      await eventBudget(ctx, connection.room),
    ),
  );
};
