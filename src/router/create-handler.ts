import middy from '@middy/core';
import type { Dispatch, HandlerContext } from '../context.js';
import type { Deps } from '../deps.js';
import { errorBoundary } from './error-boundary.js';
import { invocationMetrics } from './invocation-metrics.js';
import { dispatch } from './table.js';

/**
 * The one Lambda handler: every event goes through the route table (API Gateway events by
 * `requestContext.routeKey`, the function's own replay and fan-out payloads by their key). The
 * route's context is built once, before the route runs, and the error boundary reuses it. Each
 * invocation's metrics are written at its end (`invocation-metrics.ts`).
 */
export const createHandler = (getDeps: () => Deps) =>
  middy<unknown, unknown, Error, HandlerContext>()
    .use(invocationMetrics())
    .use(errorBoundary())
    .before((request) => {
      request.context.dispatch = dispatch(request.event, request.context, getDeps());
    })
    .handler((_event, context) => (context.dispatch as Dispatch).run());
