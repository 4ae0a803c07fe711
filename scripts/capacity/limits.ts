/**
 * Every limit a room's load meets, how much of it the load uses, and the rate at which it would
 * be used up: the one with the lowest such rate binds first.
 */

import type { Limits } from '../../src/config.js';
import { roomCharge } from '../../src/store/rates/room-charge.js';
import { deliveryOf, type RoomLoad } from './delivery.js';
import { dynamoOf } from './dynamo.js';
import {
  ACCOUNT_POSTS_PER_SECOND,
  CONCURRENCY_QUOTA_NAME,
  PARTITION_RCU,
  PARTITION_WCU,
  POSTS_QUOTA_NAME,
} from './quotas.js';
import { MESSAGE_UNITS, MESSAGES_PER_FRAME } from './sample.js';

/** What the plan knows of a deployment: the function's settings and the account's. */
export interface PlanSettings {
  limits: Limits;
  membersPerWorker: number | undefined;
  /** The function's reserved concurrency; undefined: none reserved. */
  reservedConcurrency: number | undefined;
  accountConcurrency: number;
  /** The stage's throttle: messages a second into the API, every room's together. */
  stageRate: number;
}

export interface PlanInput extends RoomLoad {
  rooms: number;
}

/** A room budget and a deploy setting are this project's; the others are AWS's. */
export type LimitKind = 'room budget' | 'deploy setting' | 'AWS quota' | 'AWS limit';

export interface LimitUse {
  name: string;
  kind: LimitKind;
  used: number;
  of: number;
  unit: string;
  /** `used / of`: 1 is the limit. */
  share: number;
  /** The setting or quota to raise, by its name. */
  raise: string;
}

/** What one message costs the room's rate, and the rate the room then admits. */
export const roomAdmission = ({ members, batchWindowMs }: RoomLoad, limits: Limits) => {
  // Batched, a message is charged its writes only: rounds are paced to the posts budget instead.
  const posts =
    batchWindowMs === undefined && limits.roomPosts
      ? { perSecond: limits.roomPosts, recipients: members }
      : undefined;
  const charge = roomCharge(limits.room, MESSAGE_UNITS, { posts });
  return {
    cost: charge?.cost,
    maxRate: charge && limits.room ? limits.room.perSecond / charge.cost : Infinity,
    setting:
      charge && charge.cost > MESSAGE_UNITS ? 'ROOM_POSTS_PER_SECOND' : 'ROOM_RATE_PER_SECOND',
  };
};

const use = (entry: Omit<LimitUse, 'share'>): LimitUse => ({
  ...entry,
  share: entry.of > 0 ? entry.used / entry.of : Infinity,
});

/** Every limit `input` meets, at its rate. */
export const limitUses = (input: PlanInput, settings: PlanSettings): LimitUse[] => {
  const { members, rate, rooms } = input;
  const { limits, membersPerWorker: perWorker, reservedConcurrency } = settings;
  const delivery = deliveryOf(input, { membersPerWorker: perWorker, roomPosts: limits.roomPosts });
  const dynamo = dynamoOf(input, delivery, limits, perWorker);
  const admission = roomAdmission(input, limits);
  const concurrency = rooms * delivery.concurrency;
  return [
    ...(limits.room && admission.cost !== undefined
      ? [
          use({
            name:
              admission.setting === 'ROOM_POSTS_PER_SECOND'
                ? 'room posts budget'
                : 'room write rate',
            kind: 'room budget',
            used: rate * admission.cost,
            of: limits.room.perSecond,
            unit: 'room units/s',
            raise: `${admission.setting} (now ${admission.setting === 'ROOM_POSTS_PER_SECOND' ? limits.roomPosts : limits.room.perSecond})`,
          }),
        ]
      : []),
    // Batched, the posts budget paces rounds instead of refusing: it runs out when the room's
    // messages fill more 32 KiB frames a second than it allows, and delivery falls behind.
    ...(delivery.round && limits.roomPosts
      ? [
          use({
            name: 'room posts budget, rounds',
            kind: 'room budget',
            used: ((members - 1) * rate) / MESSAGES_PER_FRAME,
            of: limits.roomPosts,
            unit: 'posts/s',
            raise: `ROOM_POSTS_PER_SECOND (now ${limits.roomPosts})`,
          }),
        ]
      : []),
    ...(limits.roomMembers
      ? [
          use({
            name: 'members per room',
            kind: 'room budget',
            used: members,
            of: limits.roomMembers,
            unit: 'members',
            raise: `ROOM_MEMBERS_MAX (now ${limits.roomMembers})`,
          }),
        ]
      : []),
    use({
      name: 'stage throttle',
      kind: 'deploy setting',
      used: rooms * rate,
      of: settings.stageRate,
      unit: 'messages/s',
      raise: 'STAGE_THROTTLE.rateLimit in infra/api.ts',
    }),
    use({
      name: '@connections posts (account)',
      kind: 'AWS quota',
      used: rooms * delivery.postsPerSecond,
      of: ACCOUNT_POSTS_PER_SECOND,
      unit: 'requests/s',
      raise: POSTS_QUOTA_NAME,
    }),
    use({
      name: "room's partition, writes",
      kind: 'AWS limit',
      used: dynamo.partitionWcu,
      of: PARTITION_WCU,
      unit: 'WCU/s',
      raise: 'nothing raises it (one room, one partition): spread the load over more rooms',
    }),
    use({
      name: "room's partition, reads",
      kind: 'AWS limit',
      used: dynamo.partitionRcu,
      of: PARTITION_RCU,
      unit: 'RCU/s',
      raise: 'nothing raises it (one room, one partition): batched delivery, or smaller rooms',
    }),
    ...(reservedConcurrency === undefined
      ? []
      : [
          use({
            name: 'reserved concurrency',
            kind: 'deploy setting',
            used: concurrency,
            of: reservedConcurrency,
            unit: 'executions',
            raise:
              '-c reservedConcurrency=N (or CHAT_RESERVED_CONCURRENCY), within the account quota less 100',
          }),
        ]),
    use({
      name: 'Lambda concurrency (account)',
      kind: 'AWS quota',
      used: concurrency,
      of: settings.accountConcurrency,
      unit: 'executions',
      raise: CONCURRENCY_QUOTA_NAME,
    }),
  ];
};

/** Beyond this a room's rate is not worth telling apart: no limit met. */
const MAX_RATE = 1e7;

/**
 * The highest messages a second per room at which the limit `name` still holds (Infinity: it
 * does at any rate; 0: at none), found by halving: every use grows with the rate.
 */
export const ceilingOf = (name: string, input: PlanInput, settings: PlanSettings) => {
  const holds = (rate: number) =>
    (limitUses({ ...input, rate }, settings).find((entry) => entry.name === name)?.share ?? 0) <= 1;
  if (holds(MAX_RATE)) return Infinity;
  if (!holds(0)) return 0;
  let [low, high] = [0, MAX_RATE];
  while (high - low > Math.max(1e-3, low * 1e-6)) {
    const middle = (low + high) / 2;
    if (holds(middle)) low = middle;
    else high = middle;
  }
  return low;
};
