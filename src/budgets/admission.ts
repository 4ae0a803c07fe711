import type { Limits } from '../config.js';
import { closeUnregistered, replyError } from '../outbound/reply.js';
import type { ErrorDetail } from '../protocol/frames.js';
import type { RouteContext } from '../router/context.js';
import type { Budget, Connection } from '../store/index.js';

/** What a frame costs: which of its connection's budgets, and how many units of it. */
export interface FrameCharge {
  budget: Budget;
  cost?: number;
  /** The action refused, echoed in a `rate_limited` error so the client knows which request. */
  action?: ErrorDetail['action'];
  /** Refuse without an answer: for frames the chat cannot use, one explanation is enough. */
  quiet?: boolean;
}

/**
 * Charges a frame to its connection and to its source network, in parallel (two single-item
 * writes), before anything else is read or posted. Answers the caller itself when either
 * refuses (and closes a connection the store does not know), and returns the connection only when
 * both admitted it.
 */
export const admitFrame = async (
  ctx: RouteContext,
  { budget, cost = 1, action, quiet = false }: FrameCharge,
): Promise<Connection | undefined> => {
  const { store, limits, now } = ctx.deps;
  const at = now();
  const rate = rateOf(limits, budget);
  // A history request spends its network's reading budget rather than its frame budget.
  const sourceCharge =
    budget === 'history'
      ? limits.sourceHistory && { budget, rate: limits.sourceHistory, cost }
      : limits.sourceFrames && { budget: 'frames' as const, rate: limits.sourceFrames };
  const [own, source] = await Promise.all([
    store.admit(ctx.connectionId, { budget, rate, cost }, at),
    sourceCharge
      ? store.chargeSource(ctx.sourceIp, sourceCharge, at)
      : { outcome: 'admitted' as const },
  ]);
  if (own.outcome === 'unknown') {
    await closeUnregistered(ctx);
    return undefined;
  }
  const refusal =
    own.outcome === 'limited'
      ? {
          retryAfterMs: own.retryAfterMs,
          text:
            budget === 'history'
              ? `history is limited to ${perMinute(rate.perSecond)} messages a minute (bursts of ${rate.burst})`
              : `at most ${rate.perSecond} messages a second (bursts of ${rate.burst})`,
        }
      : source.outcome === 'limited' && sourceCharge
        ? {
            retryAfterMs: source.retryAfterMs,
            text:
              budget === 'history'
                ? `your network is reading too much history: at most ${perMinute(sourceCharge.rate.perSecond)} messages a minute over all its connections`
                : `your network is sending too much: at most ${sourceCharge.rate.perSecond} frames a second over all its connections`,
          }
        : undefined;
  if (own.outcome === 'admitted' && !refusal) return own.connection;
  if (refusal && !quiet) await replyRateLimited(ctx, refusal.text, refusal.retryAfterMs, action);
  if (refusal && quiet) ctx.log('info', 'rejected_quietly', { code: 'rate_limited' });
  return undefined;
};

/** A `rate_limited` error: what the limit is, and when to try again. */
export const replyRateLimited = (
  ctx: RouteContext,
  limit: string,
  retryAfterMs: number,
  action?: ErrorDetail['action'],
) =>
  replyError(
    ctx,
    'rate_limited',
    `slow down: ${limit}; try again in ${Math.ceil(retryAfterMs / 1000)} s`,
    { ...(action ? { action } : {}), retryAfterMs },
  );

/** The connection's rate for a budget; `typing` falls back to frames when its coalescing is off. */
const rateOf = (limits: Limits, budget: Budget) =>
  budget === 'history'
    ? limits.history
    : budget === 'typing'
      ? (limits.typing ?? limits.connection)
      : limits.connection;

const perMinute = (perSecond: number) => Math.round(perSecond * 60);
