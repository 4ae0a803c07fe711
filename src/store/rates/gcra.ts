import { BoundedMap } from '../dynamo/bounded-map.js';
import type { TableRef } from '../dynamo/client.js';
import { conditionalUpdate } from '../dynamo/conditional.js';

/** A rate: `perSecond` sustained, `burst` at once (in whatever unit the caller charges). */
export interface Rate {
  perSecond: number;
  burst: number;
}

export interface RateCharge {
  key: { pk: string; sk: string };
  /** The item attribute holding this rate's theoretical arrival time (epoch ms). */
  attribute: string;
  rate: Rate;
  /** Units this request costs; at most `rate.burst`. */
  cost: number;
  now: number;
  /** Fail with `missing` rather than create the item (a connection must already exist). */
  mustExist?: boolean;
  /** More to set in the same write, e.g. `lastSeq = if_not_exists(lastSeq, :zero) + :one`. */
  also?: { set: string[]; values: Record<string, unknown> };
  /**
   * An attribute holding a time (epoch ms) before which the item refuses every charge, whatever
   * its budget: a network's block on connecting, checked in the same write at no extra cost.
   */
  blockedBy?: string;
}

export type Charged =
  | { outcome: 'admitted'; item: Record<string, unknown> }
  | {
      outcome: 'limited';
      retryAfterMs: number;
      /** Refused by `blockedBy`, not by the budget: blocked until then. */
      blockedUntil?: number;
      /** The item as the refused write found it; absent when the cache alone proved the refusal. */
      item?: Record<string, unknown>;
    }
  | { outcome: 'missing' };

type Path = 'idle' | 'busy';

/** The most a charge's clock may trail the clock of one that landed before it. */
const MAX_SLACK_MS = 1_000;

/** Writes one charge may take: a wrong guess costs one more, an item expiring meanwhile one more. */
const MAX_WRITES = 3;

/**
 * Charges a GCRA rate (a "theoretical arrival time", kept on an item) in one conditional write,
 * together with whatever else the caller sets. The item is either idle (its time is in the past:
 * the schedule starts again from now) or busy (its time grows by the cost, up to the burst), and
 * the two need different expressions. The time only ever grows, so a container that last saw it
 * ahead of the clock knows it is still busy: a busy room or a chatty source costs one write, an
 * idle one one write, and only a changeover seen by nobody in this container costs two.
 * Concurrent charges never make each other fail; only an exhausted burst is refused.
 *
 * For the same reason a refusal the container can prove costs no write at all: a time it saw
 * beyond this charge's limit (or a block it saw still running) can only have grown since, so a
 * flood is refused from memory after its first refused write.
 */
export const chargeRate = async (
  deps: TableRef,
  known: KnownTimes,
  charge: RateCharge,
): Promise<Charged> => {
  const proven = provenRefusal(known, charge);
  if (proven) return proven;
  const { now } = charge;
  const { cost, limit } = limitOf(charge);
  const block = charge.blockedBy && { key: charge.key, attribute: charge.blockedBy };
  let path: Path = (known.get(charge) ?? -1) >= now ? 'busy' : 'idle';
  let tat: unknown;
  let old: Record<string, unknown> | undefined;
  for (let writes = 1; writes <= MAX_WRITES; writes++) {
    const attempt = await write(deps, { ...charge, cost }, path, limit);
    if (attempt.outcome === 'admitted') {
      known.set(charge, attempt.item[charge.attribute]);
      return attempt;
    }
    old = attempt.old;
    if (old === undefined && charge.mustExist) return { outcome: 'missing' };
    tat = old?.[charge.attribute];
    known.set(charge, tat);
    const until = block ? old?.[block.attribute] : undefined;
    if (block && typeof until === 'number' && until > now) {
      known.set(block, until);
      return { ...blocked(until, now), ...(old ? { item: old } : {}) };
    }
    if (typeof tat === 'number' && tat > limit) break;
    path = typeof tat === 'number' && tat >= now ? 'busy' : 'idle';
  }
  return { ...limited(tat, limit), ...(old ? { item: old } : {}) };
};

/**
 * The refusal this container's memory proves, without a write: the item's time (or its block)
 * as last seen here is a lower bound of what the table holds now.
 */
export const provenRefusal = (known: KnownTimes, charge: RateCharge) => {
  const until = charge.blockedBy && known.get({ key: charge.key, attribute: charge.blockedBy });
  if (until && until > charge.now) return blocked(until, charge.now);
  const tat = known.get(charge);
  const { limit } = limitOf(charge);
  return tat !== undefined && tat > limit ? limited(tat, limit) : undefined;
};

/** What a charge costs, and the latest item time at which it is still admitted. */
const limitOf = ({ rate, now, cost }: RateCharge) => {
  // A request can never cost more than a whole burst, or it could never be admitted.
  const capped = Math.min(cost, rate.burst);
  const unitMs = 1000 / rate.perSecond;
  // Charges read their clocks before they reach the table, not always in the order they land
  // (and containers' clocks differ by a little): half a unit of slack, at most a second, keeps
  // the whole burst admitted without ever admitting one more.
  const slackMs = Math.min(MAX_SLACK_MS, unitMs / 2);
  return { cost: capped, limit: now + (rate.burst - capped) * unitMs + slackMs };
};

/** Refused by the budget: the time this charge's limit reaches the item's time. */
const limited = (tat: unknown, limit: number) => ({
  outcome: 'limited' as const,
  retryAfterMs: typeof tat === 'number' ? Math.max(1, Math.ceil(tat - limit)) : 1000,
});

/** Refused by a block on the item, until it ends. */
const blocked = (until: number, now: number) => ({
  outcome: 'limited' as const,
  retryAfterMs: Math.max(1, Math.ceil(until - now)),
  blockedUntil: until,
});

type Attempt =
  | { outcome: 'admitted'; item: Record<string, unknown> }
  | { outcome: 'refused'; old?: Record<string, unknown> };

const write = async (
  deps: TableRef,
  { key, attribute, rate, cost, now, mustExist, also, blockedBy }: RateCharge,
  path: Path,
  limit: number,
): Promise<Attempt> => {
  const step = (cost * 1000) / rate.perSecond;
  const timing =
    path === 'idle'
      ? {
          set: '#tat = :fresh',
          condition: '(attribute_not_exists(#tat) OR #tat < :now)',
          values: { ':now': now, ':fresh': now + step },
        }
      : {
          set: '#tat = #tat + :step',
          condition: '#tat BETWEEN :now AND :limit',
          values: { ':now': now, ':step': step, ':limit': limit },
        };
  const written = await conditionalUpdate(deps, {
    Key: key,
    UpdateExpression: `SET ${[timing.set, ...(also?.set ?? [])].join(', ')}`,
    ConditionExpression: [
      ...(mustExist ? ['attribute_exists(pk)'] : []),
      timing.condition,
      ...(blockedBy ? ['(attribute_not_exists(#block) OR #block <= :now)'] : []),
    ].join(' AND '),
    ExpressionAttributeNames: {
      '#tat': attribute,
      ...(blockedBy ? { '#block': blockedBy } : {}),
    },
    ExpressionAttributeValues: { ...timing.values, ...(also?.values ?? {}) },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
  if (written.applied) return { outcome: 'admitted', item: written.attributes };
  return written.old ? { outcome: 'refused', old: written.old } : { outcome: 'refused' };
};
/**
 * The last time this container saw on each rated item, so it can pick the right expression
 * first, and refuse without a write what the time it saw already proves over budget. Bounded:
 * the oldest entries are forgotten first.
 */
export class KnownTimes {
  private readonly times = new BoundedMap<string, number>();

  get({ key, attribute }: Pick<RateCharge, 'key' | 'attribute'>): number | undefined {
    return this.times.get(`${key.pk}\n${key.sk}\n${attribute}`);
  }

  set({ key, attribute }: Pick<RateCharge, 'key' | 'attribute'>, tat: unknown) {
    const id = `${key.pk}\n${key.sk}\n${attribute}`;
    if (typeof tat === 'number') this.times.set(id, tat);
    else this.times.delete(id);
  }
}
