import { ok, type RouteContext, type RouteResult } from '../context.js';
import { announceLeaves } from '../presence/announce.js';

/**
 * Removes the connection and its membership, and tells the room; a connection already gone is
 * fine (and already announced).
 */
export const disconnect = async (_input: undefined, ctx: RouteContext): Promise<RouteResult> => {
  const removed = await ctx.deps.store.removeConnection(ctx.connectionId);
  ctx.log('info', 'disconnected', { room: removed?.room, known: removed !== undefined });
  // Only the one that removed the connection announces it: a prune that got there first did.
  if (removed) await announceLeaves(ctx, removed.room, [removed]);
  return ok;
};
