import { postToRoom } from '../broadcast/room-poster.js';
import { admitFrame } from '../budgets/admission.js';
import { typingBudget } from '../budgets/room-budget.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { announceLeaves } from '../presence/announce.js';
import { typingFrame } from '../protocol/presence-frames.js';

/** How long an indicator lasts when the per-connection coalescing is off (`TYPING_INTERVAL_MS=0`). */
const UNCOALESCED_EXPIRY_MS = 6_000;

/**
 * Tells the rest of the room that the caller is typing. Never stored, never answered (a
 * connection that may not send is not told either): a frame
 * within the connection's typing interval, or beyond the room's typing rate (or its network's
 * share of it; a big room's broadcasts cost more of it), is dropped silently (the broadcast
 * before it already says the same thing).
 */
export const typing = async (_body: unknown, ctx: RouteContext): Promise<RouteResult> => {
  const { limits, presence, store, now } = ctx.deps;
  // Coalescing off: the frame is charged like any other, so a typist still has a budget.
  const budget = limits.typing ? 'typing' : 'frames';
  const connection = await admitFrame(ctx, { budget, quiet: true, need: 'send' });
  if (!connection) return ok;
  const { room } = connection;
  if (limits.roomTyping) {
    const budget = await typingBudget(ctx, room);
    const charged = await store.chargeTyping(room, limits.roomTyping, budget, now());
    if (charged.outcome === 'limited') {
      ctx.log('info', 'typing_dropped', { room });
      ctx.deps.metrics.count('RefusedBudget.room');
      return ok;
    }
  }
  const expiresInMs =
    presence.typingIntervalMs > 0 ? 2 * presence.typingIntervalMs : UNCOALESCED_EXPIRY_MS;
  const frame = typingFrame(room, connection, expiresInMs);
  const removed = await postToRoom(ctx, room, frame, ctx.connectionId);
  await announceLeaves(ctx, room, removed);
  return ok;
};
