import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { applyModeration, refuseSelf } from '../moderation/apply.js';
import { parseModeration } from '../moderation/parse.js';
import { LiftBody } from '../protocol/moderation-requests.js';

/** `{"action":"unban","userId":U}`: lifts U's ban in the room. */
export const unban = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const moderator = await admitFrame(ctx, { budget: 'frames', action: 'unban', need: 'moderate' });
  if (!moderator) return ok;
  const request = await parseModeration(ctx, 'unban', LiftBody, body);
  if (!request || (await refuseSelf(ctx, moderator, 'unban', request.userId))) return ok;
  return applyModeration(ctx, moderator, { action: 'unban', ...request });
};
