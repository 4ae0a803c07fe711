/**
 * The highest sustained messages a second one room can carry under the account's `@connections`
 * quota (API Gateway: 10,000 requests a second per account and Region, every room's posts
 * together), today and with batched delivery, from frames per member per message as measured.
 */

/** API Gateway's default account quota, requests a second per Region (posts count against it). */
export const ACCOUNT_POSTS_PER_SECOND = 10_000;

/** The room sizes of issue 27's table. */
export const QUOTA_ROOM_SIZES = [100, 1_000, 5_000];

/**
 * Posts one message costs in a room of `members`: the author's acknowledgement (always its own
 * post), and `framesPerMember` frames to each other member (1 today; a share of a batch's frame
 * when batched, which depends on how fast the room's messages arrive).
 */
export const postsPerMessage = (members: number, framesPerMember: number) =>
  1 + (members - 1) * framesPerMember;

/**
 * The highest rate `r` (messages a second) whose posts stay within `quota` when each member gets
 * at most one frame per `periodMs` (a batch round): r acknowledgements plus, for each other member,
 * one frame per message while messages come less often than the rounds, one frame per round once
 * they come more often. Solves r + (members - 1) * min(r, 1000 / periodMs) = quota.
 */
export const ratePerRound = (members: number, periodMs: number, quota: number) => {
  const rounds = 1000 / periodMs;
  if (rounds * members >= quota) return quota / members;
  return quota - (members - 1) * rounds;
};

export interface QuotaInput {
  quota: number;
  sizes: number[];
  /** Frames each member other than the author got per message, today (about 1). */
  today: number;
  /** The same with batched delivery, measured at `ratePerSecond` messages a second in the room. */
  batched: number;
  ratePerSecond: number;
}

/**
 * A row per room size: today's highest rate (one post per member per message), the batched one
 * if a message keeps costing what it cost at the measured rate, and the batched one if a member
 * gets at most one frame per round, a round being as long as measured (1000 / (frames per member
 * per message × rate)): the two bracket the truth, since a room's frames per message fall as its
 * messages come faster, and a big room's rounds last longer than a small one's (its delivery does).
 */
export const quotaRows = ({ quota, sizes, today, batched, ratePerSecond }: QuotaInput) => {
  const periodMs = roundPeriodMs(batched, ratePerSecond);
  return sizes.map((members) => {
    const now = quota / postsPerMessage(members, today);
    const asMeasured = quota / postsPerMessage(members, batched);
    const perRound = ratePerRound(members, periodMs, quota);
    return {
      members,
      'today: posts/msg': round1(postsPerMessage(members, today)),
      'today: msgs/s': round1(now),
      'batched: posts/msg': round1(postsPerMessage(members, batched)),
      'batched: msgs/s': round1(asMeasured),
      'x today': round1(asMeasured / now),
      'batched, a frame per round: msgs/s': round1(perRound),
    };
  });
};

/** How long a round lasted at the measured rate: a member got one frame per round. */
export const roundPeriodMs = (framesPerMember: number, ratePerSecond: number) =>
  1000 / (framesPerMember * ratePerSecond);

const round1 = (value: number) => Math.round(value * 10) / 10;
