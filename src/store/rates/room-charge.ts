/**
 * What an event costs its room's rate. The rate is kept in write units (see `write-units.ts`): a
 * room's log is one partition, and what fills a partition is write units, not events. Two more
 * things make an event dearer or narrower: the posts it asks of `@connections` (one per member,
 * from an account-wide 10,000 a second) and the share of the room its sender's network may use.
 */

import type { Rate } from './gcra.js';

/** The sender's address, and the fraction of a room's rate its network may use. */
export interface NetworkShare {
  sourceIp: string;
  fraction: number;
}

/** What limits an event in its room. */
export interface RoomBudget {
  /** The room's rate, in write units, charged with the claim; none when absent. */
  roomRate?: Rate | undefined;
  /**
   * The most posts a second the room's events may ask for, and how many members this one goes to:
   * an event costs at least its posts' part of that (see `postsCost`).
   */
  posts?: { perSecond: number; recipients: number } | undefined;
  /** A network's share of the room (see `room-share.ts`); every network alike when absent. */
  share?: NetworkShare | undefined;
}

/** One charge to a room's rate: how much, against which rate, and who else must admit it. */
export interface RoomCharge {
  /** The rate charged; its burst holds at least one charge of `cost`. */
  rate: Rate;
  cost: number;
  share?: NetworkShare | undefined;
}

/**
 * The charge of an event that costs `units` of the room's rate to write: the larger of that and
 * its posts' part of the rate, so that a room of N members admits at most `perSecond / N` events
 * a second whatever they cost to store, and its write units whatever its size. Undefined: no rate.
 */
export const roomCharge = (
  rate: Rate | undefined,
  units: number,
  { posts, share }: Omit<RoomBudget, 'roomRate'>,
): RoomCharge | undefined => {
  if (!rate) return undefined;
  const cost = Math.max(units, posts ? postsCost(rate, posts) : 0);
  return { rate: holding(rate, cost), cost, share };
};

/**
 * What `recipients` posts cost of a rate whose room may ask for `perSecond` posts a second: the
 * same part of the rate as of the posts (a tenth of a write unit per post by default).
 */
const postsCost = (
  rate: Rate,
  { perSecond, recipients }: { perSecond: number; recipients: number },
) => (recipients * rate.perSecond) / perSecond;

/** A network's part of a room's rate, holding at least one charge of `cost`. */
export const shareOf = (rate: Rate, fraction: number, cost: number): Rate =>
  holding({ perSecond: rate.perSecond * fraction, burst: rate.burst * fraction }, cost);

/**
 * A rate whose burst holds one charge of `cost`. A charge bigger than the burst is otherwise cut
 * down to it (see `chargeRate`): an event dearer than the room's burst would be charged less than
 * it costs, and one dearer than a network's share would take the whole room. Held, it waits for
 * an idle rate and then takes its full time.
 */
const holding = (rate: Rate, cost: number): Rate =>
  cost > rate.burst ? { perSecond: rate.perSecond, burst: cost } : rate;
