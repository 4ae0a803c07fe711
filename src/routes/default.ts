import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { ACTIONS } from '../protocol/routes.js';
import { replyError } from '../reply.js';

/** Frames that selected no route: not JSON, no `action`, or an action that does not exist. */
export const defaultRoute = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  // Charged like any frame; past the budget, a stream of unusable frames gets no answers at all.
  if (!(await admitFrame(ctx, { budget: 'frames', quiet: true }))) return ok;
  const known = ACTIONS.join(', ');
  if (body === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) {
    await replyError(
      ctx,
      'invalid_request',
      `frames must be JSON objects with an "action" (one of: ${known})`,
    );
    return ok;
  }
  const action = (body as { action?: unknown }).action;
  const shown = typeof action === 'string' ? `"${action.slice(0, 64)}"` : 'missing';
  await replyError(ctx, 'unknown_action', `action ${shown} does not exist; use one of: ${known}`);
  return ok;
};
