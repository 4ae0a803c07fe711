/**
 * Counting what `$connect` admits: open sockets per source network and members per room, each
 * under a cap. Each count is one item changed by single-item conditional updates, never inside
 * a transaction: hundreds of connects to one room at once queue on the item instead of
 * cancelling each other's transactions.
 */

import type { TableRef } from '../dynamo/client.js';
import { conditionalUpdate, readFailedItem, updateIf } from '../dynamo/conditional.js';
import { networkSocketsKey, roomMembersKey } from '../dynamo/keys.js';

/** The caps a new connection must fit under; a cap that is absent (or 0) is off. */
export interface Caps {
  /** Sockets open at once per source network (see `networkOf`). */
  networkSockets?: number | undefined;
  /** Members per room. */
  roomMembers?: number | undefined;
}

/** A count a connection holds a place in; kept on its item, so that its removal gives it back. */
export type Seat = 'network' | 'room';

/** What a connection was counted in, or the count that had no room for it. */
export type Seating =
  | { outcome: 'seated'; seats: Seat[] }
  | { outcome: 'full'; seat: Seat; max: number };

/** Where a connection's places are counted: its network (absent: not counted) and its room. */
export interface Place {
  network?: string | undefined;
  room: string;
}

const keyOf = (seat: Seat, place: Place) =>
  seat === 'room' ? roomMembersKey(place.room) : networkSocketsKey(place.network ?? '');

/** Attempts at one count: a count that expired meanwhile, or a reset raced, costs one more. */
const MAX_ATTEMPTS = 3;

/**
 * Adds one to a count below `max`. The count's item expires with the newest connection it
 * counted (`expiresAt`, refreshed on each claim), so a count past its `expiresAt` counts no
 * connection that can still be open (API Gateway closes each within 2 hours) and starts again
 * from 1: what lost `$disconnect`s leaked ends once a network or room is quiet that long.
 * TTL deletes lazily, hence the check rather than waiting for the item to go.
 */
const claim = async (
  deps: TableRef,
  key: { pk: string; sk: string },
  { max, expiresAt, nowSeconds }: { max: number; expiresAt: number; nowSeconds: number },
): Promise<boolean> => {
  const names = { '#count': 'count' };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const claimed = await conditionalUpdate(deps, {
      Key: key,
      UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#count) OR (#count < :max AND expiresAt > :now)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ':one': 1,
        ':max': max,
        ':now': nowSeconds,
        ':expiresAt': expiresAt,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    if (claimed.applied) return true;
    // The item the condition saw; a consistent read when DynamoDB did not send it back.
    const old = claimed.old ?? (await readFailedItem(deps, undefined, key));
    const expired = typeof old?.expiresAt === 'number' && old.expiresAt <= nowSeconds;
    if (old && !expired) return false;
    if (!old) continue;
    const restarted = await updateIf(deps, {
      Key: key,
      UpdateExpression: 'SET #count = :one, expiresAt = :expiresAt',
      ConditionExpression: 'expiresAt = :old',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':one': 1, ':expiresAt': expiresAt, ':old': old.expiresAt },
    });
    if (restarted) return true;
  }
  return false;
};

/** Gives a place back; a count already at 0 (restarted since) stays there. */
const release = (deps: TableRef, key: { pk: string; sk: string }) =>
  updateIf(deps, {
    Key: key,
    UpdateExpression: 'ADD #count :minusOne',
    ConditionExpression: '#count > :zero',
    ExpressionAttributeNames: { '#count': 'count' },
    ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
  });

/**
 * Takes a connection's place in its network's count, then in its room's, each under its cap;
 * when the second is full the first is given back. `expiresAt` (epoch seconds) is the
 * connection item's, `nowSeconds` its registration time.
 */
export const takeSeats = async (
  deps: TableRef,
  place: Place,
  caps: Caps,
  { expiresAt, nowSeconds }: { expiresAt: number; nowSeconds: number },
): Promise<Seating> => {
  const wanted: [Seat, number | undefined][] = [
    ['network', place.network === undefined ? undefined : caps.networkSockets],
    ['room', caps.roomMembers],
  ];
  const seats: Seat[] = [];
  for (const [seat, max] of wanted) {
    if (!max) continue;
    if (!(await claim(deps, keyOf(seat, place), { max, expiresAt, nowSeconds }))) {
      await releaseSeats(deps, place, seats);
      return { outcome: 'full', seat, max };
    }
    seats.push(seat);
  }
  return { outcome: 'seated', seats };
};

/** Gives back the places a connection held: only its remover calls this, so each goes once. */
export const releaseSeats = async (deps: TableRef, place: Place, seats: readonly Seat[]) => {
  await Promise.all(seats.map((seat) => release(deps, keyOf(seat, place))));
};

/** The seats recorded on a connection item, ignoring anything else found there. */
export const seatsOf = (item: Record<string, unknown>): Seat[] =>
  Array.isArray(item.seats)
    ? item.seats.filter((seat): seat is Seat => seat === 'network' || seat === 'room')
    : [];
