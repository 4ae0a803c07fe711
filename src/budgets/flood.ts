import type { Limits } from '../config.js';
import type { RouteContext } from '../context.js';
import { sendWithRetry } from '../outbound/post-with-retry.js';
import { replyError } from '../reply.js';
import type { RefusalRule } from '../store/index.js';

/** The shortest and longest refusal window, whatever the frame budget's refill time. */
const WINDOW_MS = { min: 1_000, max: 60_000 } as const;

/**
 * How a connection's refused frames are answered and counted (see `recordRefusal`). A window
 * lasts as long as the frame budget takes to refill from empty (`RATE_LIMIT_BURST` /
 * `RATE_LIMIT_PER_SECOND`, 4 s by default, within 1-60 s): one `rate_limited` answer per window,
 * and a connection whose own budgets refuse `ABUSE_REFUSED_BURSTS` bursts of frames within one
 * is sending at several times its budget, so it is cut off. Refusals are added to the table's
 * count a burst at a time.
 */
export const refusalRule = (
  { connection, flood }: Limits,
  { loud, counts }: { loud: boolean; counts: boolean },
): RefusalRule => ({
  windowMs: Math.min(
    WINDOW_MS.max,
    Math.max(WINDOW_MS.min, Math.round((connection.burst * 1000) / connection.perSecond)),
  ),
  loud,
  counts,
  cutAt: flood ? flood.refusedBursts * connection.burst : undefined,
  batch: connection.burst,
});

/**
 * Disconnects a connection that kept sending far over its budget: its network is refused new
 * connections for a while first (so the client cannot simply reconnect), then the client is told
 * why and for how long, then the socket is closed (`DELETE @connections`).
 */
export const cutOff = async (ctx: RouteContext, windowMs: number) => {
  const { store, limits, api, now } = ctx.deps;
  const at = now();
  const block = limits.flood?.block;
  const blockedMs = block ? (await store.blockSource(ctx.sourceIp, block, at)) - at : 0;
  const { burst, perSecond } = limits.connection;
  const refused = (limits.flood?.refusedBursts ?? 0) * burst;
  const reason = `${refused} frames or more over this connection's budget within ${Math.round(windowMs / 1000)} s (at most ${perSecond} a second, bursts of ${burst})`;
  const wait =
    blockedMs > 0 ? `; your network may connect again in ${Math.ceil(blockedMs / 1000)} s` : '';
  await replyError(
    ctx,
    'flooding',
    `disconnected: ${reason}${wait}`,
    blockedMs > 0 ? { retryAfterMs: blockedMs } : {},
  );
  const closed = await sendWithRetry(() => api.delete(ctx.connectionId));
  ctx.log('warn', 'cut_off', {
    sourceIp: ctx.sourceIp,
    blockedMs,
    outcome: closed.outcome,
    ...(closed.outcome === 'failed' ? { status: closed.status } : {}),
  });
};
