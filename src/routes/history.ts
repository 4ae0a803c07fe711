import * as v from 'valibot';
import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { historyFrames, logIdentity } from '../protocol/frames.js';
import { firstIssue } from '../protocol/issues.js';
import { HistoryBody } from '../protocol/requests.js';
import { reply, replyError } from '../reply.js';
import { entriesOf } from './replay.js';

/**
 * Replies to the caller only with a page of its room's log, split into frames under 32 KiB, each
 * echoing `before` so the client knows which request it answers.
 */
export const history = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const parsed = v.safeParse(HistoryBody, body);
  if (!parsed.success) {
    if (await admitFrame(ctx, { budget: 'frames' })) {
      await replyError(ctx, 'invalid_request', firstIssue(parsed.issues));
    }
    return ok;
  }
  const { before, limit } = parsed.output;
  // Charged by what it may read and post: every message asked for, before anything is read.
  const connection = await admitFrame(ctx, {
    budget: 'history',
    cost: limit,
    action: 'history',
    need: 'read',
  });
  if (!connection) return ok;
  const page = await ctx.deps.store.readBefore(connection.room, before, limit);
  ctx.deps.metrics.count('ReplayPages');
  ctx.deps.metrics.count('ReplayMessages', entriesOf(page));
  // Read after the page, like the replay's: a page that holds anything names its log.
  const log = logIdentity(await ctx.deps.store.logCreated(connection.room));
  await reply(ctx, ...historyFrames(connection.room, { ...page, log }, { before }));
  return ok;
};
