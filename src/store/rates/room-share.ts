/**
 * Each network's share of a room's rates. The room's rate is one budget over all its senders, so
 * without shares a few networks sending flat out keep everyone else at "room busy"; with them, a
 * network may use at most its fraction of the room, and what the others leave is there for the
 * rest. One item per room and network (see `roomShareKey`), charged with one conditional write
 * before the room's own charge, and gone a while after it was last charged.
 */

import type { TableRef } from '../dynamo/client.js';
import { RoomBusyError } from '../dynamo/errors.js';
import { roomShareKey } from '../dynamo/keys.js';
import { chargeRate, type KnownTimes } from './gcra.js';
import { type RoomCharge, shareOf } from './room-charge.js';

type StoreAccess = TableRef & { known: KnownTimes };

/** Which of the room's rates: its events' (messages, edits, deletions) or its typing's. */
export type ShareOf = 'events' | 'typing';

const SHARE_ATTRIBUTE: Record<ShareOf, string> = { events: 'etat', typing: 'ttat' };

/** How long a share outlives the longest its charges can reach ahead: it is worthless by then. */
const SHARE_TTL_MARGIN_SECONDS = 60 * 60;

/** A room over its rate for one network: the sender's network has used up its share. */
export class NetworkShareError extends RoomBusyError {
  override name = 'NetworkShareError';
  constructor(
    room: string,
    retryAfterMs: number,
    /** The fraction of the room's rate a network may use. */
    readonly fraction: number,
  ) {
    super(room, retryAfterMs);
  }
}

/**
 * Charges a room charge's cost to its network's share of that room's rate; admitted when the
 * charge has no share. A refused share leaves the room's own rate untouched.
 */
export const chargeShare = async (
  { known, ...deps }: StoreAccess,
  room: string,
  { rate, cost, share }: RoomCharge,
  of: ShareOf,
  now: number,
): Promise<{ outcome: 'admitted' } | { outcome: 'limited'; retryAfterMs: number }> => {
  if (!share) return { outcome: 'admitted' };
  const own = shareOf(rate, share.fraction, cost);
  const reachSeconds = Math.ceil(own.burst / own.perSecond);
  const charged = await chargeRate(deps, known, {
    key: roomShareKey(room, share.sourceIp),
    attribute: SHARE_ATTRIBUTE[of],
    rate: own,
    cost,
    now,
    also: {
      set: ['expiresAt = :expiresAt'],
      values: {
        ':expiresAt': Math.floor(now / 1000) + reachSeconds + SHARE_TTL_MARGIN_SECONDS,
      },
    },
  });
  return charged.outcome === 'limited'
    ? { outcome: 'limited', retryAfterMs: charged.retryAfterMs }
    : { outcome: 'admitted' };
};
