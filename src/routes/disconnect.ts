import { ok, type RouteContext, type RouteResult } from '../router/context.js';

/** Removes the connection and its membership; a connection already gone is fine. */
export const disconnect = async (_input: undefined, ctx: RouteContext): Promise<RouteResult> => {
  const removed = await ctx.deps.store.removeConnection(ctx.connectionId);
  ctx.log('info', 'disconnected', { room: removed?.room, known: removed !== undefined });
  return ok;
};
