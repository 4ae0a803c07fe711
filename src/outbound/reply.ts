import { type ErrorCode, type ErrorDetail, errorFrame } from '../protocol/frames.js';
import type { RouteContext } from '../router/context.js';
import { postWithRetry } from './post-with-retry.js';

/** Sends frames to the caller only, in order. A caller that has gone away is not an error. */
export const reply = async (ctx: RouteContext, ...frames: string[]) => {
  for (const frame of frames) {
    const result = await postWithRetry(ctx.deps.api, ctx.connectionId, frame);
    if (result.outcome === 'gone') return;
    if (result.outcome === 'failed') {
      ctx.log('warn', 'reply_failed', { status: result.status, attempts: result.attempts });
      return;
    }
  }
};

/** Tells the caller what was wrong with its frame; nothing else happens. */
export const replyError = (
  ctx: RouteContext,
  code: ErrorCode,
  message: string,
  detail?: ErrorDetail,
) => {
  ctx.log('info', 'rejected', { code });
  return reply(ctx, errorFrame(code, message, detail));
};

/** A connection the store no longer knows (TTL or pruning got there first): the client should reconnect. */
export const replyNotRegistered = (ctx: RouteContext) =>
  replyError(ctx, 'invalid_request', 'this connection is not registered; reconnect');
