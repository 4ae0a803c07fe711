/** A room's presence item: its rates, its trailer and its cached count. */

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef, TableRef } from '../dynamo/client.js';
import { updateIf } from '../dynamo/conditional.js';
import { presenceKey } from '../dynamo/keys.js';
import { chargeRate, type KnownTimes, type Rate } from './gcra.js';
import { type RoomBudget, roomCharge } from './room-charge.js';
import { chargeShare } from './room-share.js';

type StoreAccess = ClockedTableRef & { known: KnownTimes };

/**
 * The rates kept on a room's presence item: `notices` (join/leave notices of a small room),
 * `occupancy` (coalesced updates, one per interval), `recount` (a big room's cached count
 * refreshed for `who` and connects), `typing` (typing broadcasts over all its typists).
 */
export type RoomRate = 'notices' | 'occupancy' | 'recount' | 'typing';

const ROOM_RATE_ATTRIBUTE: Record<RoomRate, string> = {
  notices: 'ntat',
  occupancy: 'otat',
  recount: 'rtat',
  typing: 'ttat',
};

/** How long an idle room's presence item lives: its rates and cached count are worthless by then. */
const PRESENCE_TTL_SECONDS = 24 * 60 * 60;

type RoomCharged = { outcome: 'admitted' } | { outcome: 'limited'; retryAfterMs: number };

/**
 * Charges one of a room's presence rates (see `chargeRate`), creating the item on first use.
 * `endTrailer` also ends the room's trailer in the same write: the trailer's own charge.
 */
export const chargeRoom = async (
  { known, ...deps }: StoreAccess,
  room: string,
  {
    rate,
    kind,
    cost = 1,
    endTrailer = false,
  }: { kind: RoomRate; rate: Rate; cost?: number; endTrailer?: boolean },
  now: number,
): Promise<RoomCharged> => {
  const charged = await chargeRate(deps, known, {
    key: presenceKey(room),
    attribute: ROOM_RATE_ATTRIBUTE[kind],
    rate,
    cost,
    now,
    also: {
      set: ['expiresAt = :expiresAt', ...(endTrailer ? ['trailerUntil = :noTrailer'] : [])],
      values: {
        ':expiresAt': Math.floor(now / 1000) + PRESENCE_TTL_SECONDS,
        ...(endTrailer ? { ':noTrailer': 0 } : {}),
      },
    },
  });
  return charged.outcome === 'limited' ? charged : { outcome: 'admitted' };
};

/**
 * Charges a `typing` broadcast to the room's typing rate: one a broadcast, or more in a room so
 * big that its posts would ask for more than the room's share of them (see `room-charge.ts`);
 * first to the typist's network's share of that rate, when the budget gives one.
 */
export const chargeTyping = async (
  deps: StoreAccess,
  room: string,
  rate: Rate,
  budget: Omit<RoomBudget, 'roomRate'>,
  now: number,
): Promise<RoomCharged> => {
  const charge = roomCharge(rate, 1, budget) ?? { rate, cost: 1 };
  const shared = await chargeShare(deps, room, charge, 'typing', now);
  if (shared.outcome === 'limited') return shared;
  return chargeRoom(deps, room, { kind: 'typing', rate: charge.rate, cost: charge.cost }, now);
};

/**
 * Makes the caller the room's trailer (the one that sends the coalesced update after the
 * interval) unless another is, until `until` (epoch ms): a trailer that died frees the room by
 * then. True when the caller won.
 */
export const claimTrailer = (deps: TableRef, room: string, until: number, now: number) =>
  updateIf(deps, {
    Key: presenceKey(room),
    UpdateExpression: 'SET trailerUntil = :until, expiresAt = :expiresAt',
    ConditionExpression: 'attribute_not_exists(trailerUntil) OR trailerUntil < :now',
    ExpressionAttributeValues: {
      ':until': until,
      ':now': now,
      ':expiresAt': Math.floor(now / 1000) + PRESENCE_TTL_SECONDS,
    },
  });

/** Gives up the trailer claimed until `until`, if it is still the caller's. */
export const releaseTrailer = async (deps: TableRef, room: string, until: number) => {
  await updateIf(deps, {
    Key: presenceKey(room),
    UpdateExpression: 'SET trailerUntil = :none',
    ConditionExpression: 'trailerUntil = :until',
    ExpressionAttributeValues: { ':none': 0, ':until': until },
  });
};

/** A room's count as last taken in full, and when (epoch ms). */
export interface CachedCount {
  count: number;
  countedAt: number;
}

/** Keeps a room's full count on its presence item, for `who` and connects in a big room. */
export const cacheCount = async (
  deps: TableRef,
  room: string,
  { count, countedAt }: CachedCount,
) => {
  await updateIf(deps, {
    Key: presenceKey(room),
    UpdateExpression: 'SET #count = :count, countedAt = :at, expiresAt = :expiresAt',
    // A slower counter that started earlier must not overwrite a newer count.
    ConditionExpression: 'attribute_not_exists(countedAt) OR countedAt <= :at',
    ExpressionAttributeNames: { '#count': 'count' },
    ExpressionAttributeValues: {
      ':count': count,
      ':at': countedAt,
      ':expiresAt': Math.floor(countedAt / 1000) + PRESENCE_TTL_SECONDS,
    },
  });
};

/** The room's cached count, if one was ever taken (an eventually consistent read: it is a cache). */
export const readCachedCount = async (
  { client, tableName }: TableRef,
  room: string,
): Promise<CachedCount | undefined> => {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: presenceKey(room),
      ProjectionExpression: '#count, countedAt',
      ExpressionAttributeNames: { '#count': 'count' },
    }),
  );
  return typeof Item?.count === 'number' && typeof Item.countedAt === 'number'
    ? { count: Item.count, countedAt: Item.countedAt }
    : undefined;
};
