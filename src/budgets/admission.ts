import type { Limits } from '../config.js';
import type { RouteContext } from '../context.js';
import { inGoodStanding } from '../moderation/standing.js';
import type { Capability } from '../protocol/capabilities.js';
import type { ErrorDetail } from '../protocol/frames.js';
import { closeUnregistered, countRefusal, replyError } from '../reply.js';
import type { Budget, Connection } from '../store/index.js';
import { cutOff, refusalRule } from './flood.js';

/** What a frame costs: which of its connection's budgets, and how many units of it. */
export interface FrameCharge {
  budget: Budget;
  cost?: number;
  /** The action refused, echoed in a `rate_limited` error so the client knows which request. */
  action?: ErrorDetail['action'];
  /** Refuse without an answer: for frames the chat cannot use, one explanation is enough. */
  quiet?: boolean;
  /**
   * What the connection must be allowed to do in its room for the frame, or a list of which any
   * one will do (checked once it is admitted, so a refused frame is charged like any other):
   * without it, `forbidden` naming the first, or, when `quiet`, nothing.
   */
  need?: Capability | readonly Capability[];
}

/**
 * Charges a frame to its connection and to its source network, in parallel (two single-item
 * writes, or none when this container already knows either budget spent), before anything else
 * is read or posted. Deals with a refusal itself (see `refuse`), closes a connection the store
 * does not know, and returns the connection only when both admitted it, it may do what the frame
 * `need`s, and its room's moderation lets it (`inGoodStanding`: bans, mutes, slow mode,
 * read-only).
 */
export const admitFrame = async (
  ctx: RouteContext,
  { budget, cost = 1, action, quiet = false, need }: FrameCharge,
): Promise<Connection | undefined> => {
  const { store, limits, now } = ctx.deps;
  const at = now();
  const rate = rateOf(limits, budget);
  // A history request spends its network's reading budget rather than its frame budget.
  const sourceCharge =
    budget === 'history'
      ? limits.sourceHistory && { budget, rate: limits.sourceHistory, cost }
      : limits.sourceFrames && { budget: 'frames' as const, rate: limits.sourceFrames };
  const admission = await store.admit(
    ctx.connectionId,
    { budget, rate, cost },
    at,
    sourceCharge ? { sourceIp: ctx.sourceIp, charge: sourceCharge } : undefined,
  );
  if (admission.outcome === 'admitted') {
    const { connection } = admission;
    const anyOf = need === undefined ? [] : typeof need === 'string' ? [need] : need;
    const [first] = anyOf;
    if (first === undefined || anyOf.some((one) => connection.capabilities.includes(one))) {
      // Then the room's bans, mutes and settings (moderation/standing.ts).
      const standing = { needs: anyOf, action, quiet };
      return (await inGoodStanding(ctx, connection, standing)) ? connection : undefined;
    }
    // A banned connection is closed whatever it sent, a frame it may not send included.
    if (await inGoodStanding(ctx, connection, { needs: [], action, quiet })) {
      await refuseForbidden(ctx, connection.room, first, { action, quiet });
    }
    return undefined;
  }
  if (admission.outcome === 'unknown') {
    await closeUnregistered(ctx);
    return undefined;
  }
  const byConnection = admission.by !== 'network' || !sourceCharge;
  ctx.deps.metrics.count(`RefusedBudget.${byConnection ? budget : 'network'}`);
  const text = byConnection
    ? budget === 'history'
      ? `history is limited to ${perMinute(rate.perSecond)} messages a minute (bursts of ${rate.burst})`
      : `at most ${rate.perSecond} messages a second (bursts of ${rate.burst})`
    : budget === 'history'
      ? `your network is reading too much history: at most ${perMinute(sourceCharge.rate.perSecond)} messages a minute over all its connections`
      : `your network is sending too much: at most ${sourceCharge.rate.perSecond} frames a second over all its connections`;
  await refuse(ctx, { text, retryAfterMs: admission.retryAfterMs, action, quiet, byConnection });
  return undefined;
};

/** What a connection lacking a capability is told, by the capability (`you may not send in …`). */
export const forbiddenText = (need: Capability, room: string) =>
  need === 'send'
    ? `you may not send in room ${JSON.stringify(room)}`
    : `you may not ${need} room ${JSON.stringify(room)}`;

/** A frame its connection may not send in its room: `forbidden`, or, when `quiet`, dropped. */
const refuseForbidden = async (
  ctx: RouteContext,
  room: string,
  need: Capability,
  { action, quiet }: { action: ErrorDetail['action'] | undefined; quiet: boolean },
) => {
  if (quiet) {
    ctx.log('debug', 'rejected_quietly', { code: 'forbidden', need });
    countRefusal(ctx, 'forbidden');
    return;
  }
  await replyError(ctx, 'forbidden', forbiddenText(need, room), action ? { action } : {});
};

/**
 * A refused frame costs as little as it can: the first of its connection's refusal window is
 * answered (unless `quiet`), the rest are dropped silently, and a connection refused far more
 * than its budget within one window is cut off (see `refusalRule`).
 */
const refuse = async (
  ctx: RouteContext,
  refusal: {
    text: string;
    retryAfterMs: number;
    action: ErrorDetail['action'] | undefined;
    quiet: boolean;
    byConnection: boolean;
  },
) => {
  const { store, limits, now } = ctx.deps;
  const rule = refusalRule(limits, { loud: !refusal.quiet, counts: refusal.byConnection });
  const verdict = await store.recordRefusal(ctx.connectionId, rule, now());
  if (verdict === 'told') {
    await replyRateLimited(ctx, refusal.text, refusal.retryAfterMs, refusal.action);
  } else if (verdict === 'cut') {
    await cutOff(ctx, rule.windowMs);
  } else if (verdict === 'unknown') {
    await closeUnregistered(ctx);
  } else {
    // One line per refused frame of a flood would cost more than the refusal: debug only.
    ctx.log('debug', 'rejected_quietly', { code: 'rate_limited' });
    countRefusal(ctx, 'rate_limited');
  }
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
