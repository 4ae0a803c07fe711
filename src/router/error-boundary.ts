import type { MiddlewareObj } from '@middy/core';
import { type HandlerContext, isRouteContext } from '../context.js';
import { createLogger } from '../log.js';
import { errorFrame } from '../protocol/frames.js';
import { reply } from '../reply.js';
import { isWebSocketEvent } from './event.js';
import { mapStackToSources } from './source-mapped-stack.js';
import { entryKeyOf } from './table.js';

/**
 * Unexpected errors end here: one JSON log line with the request id (stack included, for us,
 * its bundle frames mapped to our sources),
 * and on message routes an `internal` error frame to the caller (no stack, for them). Errors of
 * the function's invocations of itself are rethrown, so that Lambda sees them fail.
 */
export const errorBoundary = (): MiddlewareObj<unknown, unknown, Error, HandlerContext> => ({
  onError: async (request) => {
    const { event, context, error } = request;
    const ws = isWebSocketEvent(event) ? event.requestContext : undefined;
    const ctx = context.dispatch?.ctx;
    // Without a context (its dependencies could not be built), a logger of its own.
    const log =
      ctx?.log ??
      createLogger({
        route: entryKeyOf(event),
        connectionId: ws?.connectionId,
        requestId: context.awsRequestId,
      });
    log('error', 'unexpected_error', {
      error: error?.name,
      detail: error?.message,
      stack: error?.stack && (await mapStackToSources(error.stack)),
    });
    if (ws?.eventType === 'MESSAGE' && ctx && isRouteContext(ctx)) {
      await reply(
        ctx,
        errorFrame('internal', 'something went wrong on our side; please retry'),
      ).catch(() => undefined);
    }
    // An invocation of this function by itself (a replay, a fan-out worker) fails as Lambda
    // reports failures: its caller takes a worker's members back, a failed replay goes to the
    // failure destination. API Gateway's routes answer 500.
    if (ws) request.response = { statusCode: 500 };
  },
});
