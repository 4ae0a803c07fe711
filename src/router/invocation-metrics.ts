import type { MiddlewareObj } from '@middy/core';
import type { HandlerContext } from '../context.js';
import { logsAt } from '../log.js';
import { metricsRouteOf } from './table.js';

/**
 * Counts each invocation under its route (its time, and whether it failed) and writes the
 * invocation's metrics at its end, failed or not. Used before the error boundary, so that its
 * `onError` runs after the boundary's: a handled error is still counted as one.
 * The metrics' lines carry no `level`, so Lambda's log-level filtering takes them for INFO lines:
 * a function logging at WARN or above loses them there, and so they are dropped here too.
 */
export const invocationMetrics = (): MiddlewareObj<unknown, unknown, Error, HandlerContext> => {
  const flush = (event: unknown, context: HandlerContext, failed: boolean) => {
    const deps = context.dispatch?.ctx.deps;
    deps?.metrics.flush(
      {
        route: metricsRouteOf(event),
        durationMs: performance.now() - (context.startedAt ?? performance.now()),
        failed,
      },
      logsAt('info') ? deps.logTo : () => undefined,
    );
  };
  return {
    before: ({ context }) => {
      context.startedAt = performance.now();
    },
    after: ({ event, context }) => flush(event, context, false),
    onError: ({ event, context }) => flush(event, context, true),
  };
};
