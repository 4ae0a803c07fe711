import type { RouteContext } from '../context.js';
import type { ReviewRequest } from '../outbound/review.js';
import { replyError } from '../reply.js';
import type { Connection } from '../store/index.js';

/** The review hook refused a text: nothing is stored, and its sender is told `reason`. */
export class RejectedByReview extends Error {
  override name = 'RejectedByReview';
  constructor(readonly reason: string) {
    super('the review hook refused the text');
  }
}

/**
 * The text to store for a connection's message or edit: as sent when there is no review hook or
 * it allows it, the reviewer's when it modifies it; a denial throws `RejectedByReview`.
 */
export const reviewedText = async (
  ctx: RouteContext,
  connection: Connection,
  action: ReviewRequest['action'],
  text: string,
): Promise<string> => {
  const { review } = ctx.deps;
  if (!review) return text;
  const { room, userId, name } = connection;
  const verdict = await review({ action, room, userId, name, text }, ctx.log);
  if (verdict.result === 'DENY') throw new RejectedByReview(verdict.reason);
  return verdict.result === 'MODIFY' ? verdict.text : text;
};

/** Tells the sender alone that review refused its message (with its id, when it gave one) or edit. */
export const replyRejected = (
  ctx: RouteContext,
  action: ReviewRequest['action'],
  { reason }: RejectedByReview,
  id?: string,
) =>
  replyError(
    ctx,
    'rejected',
    action === 'sendmessage'
      ? `your message was not sent: ${reason}`
      : `your edit was not saved: ${reason}`,
    { action, ...(id === undefined ? {} : { id }) },
  );
