import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Deps } from '../deps.js';
import { createLogger } from '../log.js';
import { errorFrame } from '../protocol/frames.js';
import { reply } from '../routes/reply.js';
import { isWebSocketEvent } from './event.js';

/**
 * Unexpected errors end here: one JSON log line with the request id (stack included, for us),
 * and on message routes an `internal` error frame to the caller (no stack, for them).
 */
export const errorBoundary = (
  getDeps: () => Deps,
): MiddlewareObj<unknown, unknown, Error, Context> => ({
  onError: async (request) => {
    const { event, context, error } = request;
    const ws = isWebSocketEvent(event) ? event.requestContext : undefined;
    const log = createLogger({
      route: ws?.routeKey ?? 'replay',
      connectionId: ws?.connectionId,
      requestId: context.awsRequestId,
    });
    log('error', 'unexpected_error', {
      error: error?.name,
      detail: error?.message,
      stack: error?.stack,
    });
    if (ws?.eventType === 'MESSAGE') {
      const ctx = {
        deps: getDeps(),
        connectionId: ws.connectionId,
        sourceIp: ws.identity?.sourceIp ?? 'unknown',
        requestId: context.awsRequestId,
        log,
        remainingMs: () => context.getRemainingTimeInMillis(),
      };
      await reply(
        ctx,
        errorFrame('internal', 'something went wrong on our side; please retry'),
      ).catch(() => undefined);
    }
    request.response = { statusCode: 500 };
  },
});
