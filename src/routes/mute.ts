import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { applyModeration, refuseSelf } from '../moderation/apply.js';
import { parseModeration } from '../moderation/parse.js';
import { RestrictBody } from '../protocol/moderation-requests.js';

/** `{"action":"mute","userId":U}`: refuses U's sends, edits and typing in the room until it ends. */
export const mute = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const moderator = await admitFrame(ctx, { budget: 'frames', action: 'mute', need: 'moderate' });
  if (!moderator) return ok;
  const request = await parseModeration(ctx, 'mute', RestrictBody, body);
  if (!request || (await refuseSelf(ctx, moderator, 'mute', request.userId))) return ok;
  return applyModeration(ctx, moderator, { action: 'mute', ...request });
};
