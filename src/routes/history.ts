import * as v from 'valibot';
import { historyFrames } from '../protocol/frames.js';
import { firstIssue, ok, type RouteContext, type RouteResult } from './context.js';
import { reply, replyError, replyNotRegistered } from './reply.js';

/** A `history` frame: messages with `seq < before` (newest when absent), `limit` 1-100. */
export const HistoryBody = v.object({
  before: v.optional(
    v.pipe(
      v.number('before must be a number'),
      v.integer('before must be a whole number'),
      v.minValue(1, 'before must be at least 1'),
    ),
  ),
  limit: v.optional(
    v.pipe(
      v.number('limit must be a number'),
      v.integer('limit must be a whole number'),
      v.minValue(1, 'limit must be 1-100'),
      v.maxValue(100, 'limit must be 1-100'),
    ),
    50,
  ),
});

/**
 * Replies to the caller only with a page of its room's log, split into frames under 32 KiB, each
 * echoing `before` so the client knows which request it answers.
 */
export const history = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const parsed = v.safeParse(HistoryBody, body);
  if (!parsed.success) {
    await replyError(ctx, 'invalid_request', firstIssue(parsed.issues));
    return ok;
  }
  const connection = await ctx.deps.store.getConnection(ctx.connectionId);
  if (!connection) {
    await replyNotRegistered(ctx);
    return ok;
  }
  const { before, limit } = parsed.output;
  const page = await ctx.deps.store.readBefore(connection.room, before, limit);
  await reply(ctx, ...historyFrames(connection.room, page, { before }));
  return ok;
};
