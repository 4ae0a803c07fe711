import { admitFrame } from '../budgets/admission.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { presenceSnapshot } from '../presence/snapshot.js';
import { presenceFrame } from '../protocol/presence-frames.js';
import { reply } from '../reply.js';

/**
 * What a `who` costs of the connection's history budget: it reads up to about 100 members,
 * about what ten messages cost.
 */
export const WHO_COST = 10;

/** Answers the caller alone with a `presence` frame: its room's count and names. */
export const who = async (_body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const connection = await admitFrame(ctx, {
    budget: 'history',
    cost: WHO_COST,
    action: 'who',
    need: 'read',
  });
  if (!connection) return ok;
  const snapshot = await presenceSnapshot(ctx, connection.room);
  await reply(ctx, presenceFrame(connection.room, snapshot));
  return ok;
};
