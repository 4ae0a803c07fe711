import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as v from 'valibot';
import type { BroadcastReport } from '../broadcast/broadcast.js';
import type { Deps } from '../deps.js';
import { createLogger } from '../log.js';
import { FanoutRequestSchema, fanoutWorker } from '../routes/fanout.js';
import { ReplayRequestSchema, replay } from '../routes/replay.js';
import type { RouteResult } from './context.js';
import { errorBoundary } from './error-boundary.js';
import { isWebSocketEvent } from './event.js';
import { selectRoute } from './routes.js';

/**
 * The one Lambda handler: API Gateway events dispatch on `requestContext.routeKey`; the replay
 * request that `$connect` sends to this same function, and the fan-out work a big room's
 * `sendmessage` hands to it, are recognised by their shape.
 */
export const createHandler = (getDeps: () => Deps) =>
  middy<unknown, RouteResult | BroadcastReport | undefined, Error, Context>()
    .use(errorBoundary(getDeps))
    .handler(async (event, context) => {
      const requestId = context.awsRequestId;
      if (!isWebSocketEvent(event) && (event as { fanout?: unknown })?.fanout !== undefined) {
        const work = v.parse(FanoutRequestSchema, event);
        const log = createLogger({ route: 'fanout', requestId });
        return fanoutWorker(work, getDeps(), log, () => context.getRemainingTimeInMillis());
      }
      if (!isWebSocketEvent(event)) {
        const request = v.parse(ReplayRequestSchema, event);
        await replay(request, getDeps(), createLogger({ route: 'replay', requestId }));
        return undefined;
      }
      const { routeKey, connectionId } = event.requestContext;
      const log = createLogger({ route: routeKey, connectionId, requestId });
      return selectRoute(routeKey)(event, {
        deps: getDeps(),
        connectionId,
        sourceIp: event.requestContext.identity?.sourceIp ?? 'unknown',
        requestId,
        log,
        remainingMs: () => context.getRemainingTimeInMillis(),
      });
    });
