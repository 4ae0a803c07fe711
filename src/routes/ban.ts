import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { applyModeration, refuseSelf } from '../moderation/apply.js';
import { parseModeration } from '../moderation/parse.js';
import { RestrictBody } from '../protocol/moderation-requests.js';

/** `{"action":"ban","userId":U}`: closes U's connections and refuses U in the room until it ends. */
export const ban = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const moderator = await admitFrame(ctx, { budget: 'frames', action: 'ban', need: 'moderate' });
  if (!moderator) return ok;
  const request = await parseModeration(ctx, 'ban', RestrictBody, body);
  if (!request || (await refuseSelf(ctx, moderator, 'ban', request.userId))) return ok;
  return applyModeration(ctx, moderator, { action: 'ban', ...request });
};
