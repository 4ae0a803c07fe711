import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { applyModeration, refuseSelf } from '../moderation/apply.js';
import { parseModeration } from '../moderation/parse.js';
import { KickBody } from '../protocol/moderation-requests.js';

/** `{"action":"kick","userId":U}`: closes U's connections in the room, each told why. */
export const kick = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const moderator = await admitFrame(ctx, { budget: 'frames', action: 'kick', need: 'moderate' });
  if (!moderator) return ok;
  const request = await parseModeration(ctx, 'kick', KickBody, body);
  if (!request || (await refuseSelf(ctx, moderator, 'kick', request.userId))) return ok;
  return applyModeration(ctx, moderator, { action: 'kick', ...request });
};
