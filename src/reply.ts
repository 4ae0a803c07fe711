import type { RouteContext } from './context.js';
import type { RefusalCode } from './metrics/catalogue.js';
import { postWithRetry, sendWithRetry } from './outbound/post-with-retry.js';
import { type ErrorCode, type ErrorDetail, errorFrame } from './protocol/frames.js';

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
  if (code !== 'internal') countRefusal(ctx, code);
  return reply(ctx, errorFrame(code, message, detail));
};

/** Counts a refusal in the metrics, answered or not. */
export const countRefusal = (ctx: RouteContext, code: RefusalCode) =>
  ctx.deps.metrics.count(`Refused.${code}`);

/**
 * A frame from a connection the store no longer knows (TTL or a prune got there first): tells the
 * client why, then closes the connection (`DELETE @connections`), so that the client reconnects
 * and resumes with `since` instead of staying open but deaf. A 410 means it was closed already.
 */
export const closeUnregistered = async (ctx: RouteContext) => {
  await replyError(ctx, 'invalid_request', 'this connection is not registered; reconnect');
  const result = await sendWithRetry(() => ctx.deps.api.delete(ctx.connectionId));
  if (result.outcome === 'failed') {
    ctx.log('warn', 'close_failed', { status: result.status, attempts: result.attempts });
  } else {
    ctx.log('info', 'closed_unregistered', { outcome: result.outcome });
  }
};
