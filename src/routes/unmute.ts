import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { applyModeration, refuseSelf } from '../moderation/apply.js';
import { parseModeration } from '../moderation/parse.js';
import { LiftBody } from '../protocol/moderation-requests.js';

/** `{"action":"unmute","userId":U}`: lifts U's mute in the room. */
export const unmute = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const moderator = await admitFrame(ctx, { budget: 'frames', action: 'unmute', need: 'moderate' });
  if (!moderator) return ok;
  const request = await parseModeration(ctx, 'unmute', LiftBody, body);
  if (!request || (await refuseSelf(ctx, moderator, 'unmute', request.userId))) return ok;
  return applyModeration(ctx, moderator, { action: 'unmute', ...request });
};
