/**
 * The capacity plan of `npm run capacity`: for a load (rooms of `members`, each sent `rate`
 * messages a second), what it asks of every limit, which binds first and what to raise, and what
 * it costs. Pure: the settings come in (`settings.ts` reads them as the function does).
 */

import { PRICES } from '../../bench/e2e/cost.js';
import { type Delivery, deliveryOf } from './delivery.js';
import { type DynamoLoad, dynamoOf } from './dynamo.js';
import {
  ceilingOf,
  type LimitUse,
  limitUses,
  type PlanInput,
  type PlanSettings,
  roomAdmission,
} from './limits.js';

export type { PlanInput, PlanSettings } from './limits.js';

/** A limit's use at the load, and the rate per room at which it is used up. */
export interface LimitRow extends LimitUse {
  ceiling: number;
}

export interface CostLine {
  item: string;
  perHour: number;
}

export interface Plan {
  input: PlanInput;
  delivery: Delivery;
  dynamo: DynamoLoad;
  /** The room's own budgets: what it admits a second, and whether it refuses some of `rate`. */
  room: { maxRate: number; refuses: boolean };
  /** Every limit, the first to bind (lowest ceiling) first. */
  limits: LimitRow[];
  /** The limit that binds first, and the first of AWS's own. */
  binding: LimitRow;
  bindingAws: LimitRow;
  cost: { lines: CostLine[]; perHour: number; perMillionMessages: number; prices: string };
}

/** Dollars an hour, line by line, at the public prices `bench/e2e/cost.ts` uses. */
const costOf = ({ members, rate, rooms }: PlanInput, delivery: Delivery, dynamo: DynamoLoad) => {
  const hour = 3600 * rooms;
  const lines: CostLine[] = [
    {
      item: 'API Gateway messages (in + posts)',
      perHour: (hour * (rate + delivery.postsPerSecond) * PRICES.apiGatewayMessage) / 1e6,
    },
    {
      item: 'API Gateway connection minutes',
      perHour: (rooms * members * 60 * PRICES.apiGatewayConnectionMinute) / 1e6,
    },
    {
      item: 'Lambda requests',
      perHour: (hour * delivery.invocationsPerSecond * PRICES.lambdaRequest) / 1e6,
    },
    {
      item: `Lambda GB-s (${PRICES.lambdaMemoryGb} GB)`,
      perHour: hour * delivery.concurrency * PRICES.lambdaMemoryGb * PRICES.lambdaGbSecond,
    },
    { item: 'DynamoDB writes', perHour: (hour * dynamo.wru * PRICES.dynamoWru) / 1e6 },
    { item: 'DynamoDB reads', perHour: (hour * dynamo.rru * PRICES.dynamoRru) / 1e6 },
  ];
  const perHour = lines.reduce((sum, line) => sum + line.perHour, 0);
  return {
    lines,
    perHour,
    perMillionMessages: rate > 0 ? (perHour / (hour * rate)) * 1e6 : Infinity,
    prices: `${PRICES.region}, on-demand list prices checked ${PRICES.checked} (bench/e2e/cost.ts)`,
  };
};

/** The plan for `input` under `settings`. */
export const plan = (input: PlanInput, settings: PlanSettings): Plan => {
  const { limits, membersPerWorker } = settings;
  const delivery = deliveryOf(input, { membersPerWorker, roomPosts: limits.roomPosts });
  const dynamo = dynamoOf(input, delivery, limits, membersPerWorker);
  const { maxRate } = roomAdmission(input, limits);
  const rows = limitUses(input, settings)
    .map((entry) => ({ ...entry, ceiling: ceilingOf(entry.name, input, settings) }))
    .toSorted((a, b) => a.ceiling - b.ceiling || b.share - a.share);
  const [binding] = rows as [LimitRow, ...LimitRow[]];
  const bindingAws = rows.find(({ kind }) => kind.startsWith('AWS')) as LimitRow;
  return {
    input,
    delivery,
    dynamo,
    room: { maxRate, refuses: input.rate > maxRate },
    limits: rows,
    binding,
    bindingAws,
    cost: costOf(input, delivery, dynamo),
  };
};
