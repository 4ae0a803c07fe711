import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { applyModeration } from '../moderation/apply.js';
import { parseModeration } from '../moderation/parse.js';
import { RoomSettingsBody } from '../protocol/moderation-requests.js';

/** `{"action":"roomsettings","slowModeSeconds"?:N,"readOnly"?:B}`: changes the room's settings. */
export const roomSettings = async (body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const moderator = await admitFrame(ctx, {
    budget: 'frames',
    action: 'roomsettings',
    need: 'moderate',
  });
  if (!moderator) return ok;
  const request = await parseModeration(ctx, 'roomsettings', RoomSettingsBody, body);
  if (!request) return ok;
  return applyModeration(ctx, moderator, { action: 'roomsettings', ...request });
};
