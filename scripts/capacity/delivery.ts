/**
 * How a room's messages go out: how many invocations share a fan-out, how often a fan-out runs
 * (each message, or each batched round), the `@connections` posts that makes and the Lambda time.
 * The rules are the code's (`workersFor`, `deliverInBatches`' spacing of rounds); the times are
 * the benchmarks' (`measured.ts`).
 */

import { workersFor } from '../../src/broadcast/shards.js';
import { MEMBER_SHARDS } from '../../src/store/dynamo/keys.js';
import type { Member } from '../../src/store/types.js';
import {
  MESSAGE_FIXED_MS,
  POSTS_PER_INVOCATION_SECOND,
  SHARD_QUERY_MS,
  WORKER_INVOKE_MS,
} from './measured.js';
import { MESSAGES_PER_FRAME } from './sample.js';

/** One room's load: `rate` messages a second among `members`; `batchWindowMs` undefined: off. */
export interface RoomLoad {
  members: number;
  rate: number;
  batchWindowMs: number | undefined;
}

/** What spaces a busy room's rounds (the longest of them wins, as in `deliverInBatches`). */
export type PacedBy = 'batch window' | 'room posts budget' | 'round time';

export interface Delivery {
  /** Invocations posting one fan-out, the sender's included. */
  workers: number;
  /** ms from a fan-out's start until its last member is posted to. */
  fanOutMs: number;
  /** Fan-outs a second: one per message, or one per round. */
  fanOutsPerSecond: number;
  messagesPerFanOut: number;
  /** Frames each member gets per fan-out (a round's messages, 32 KiB a frame). */
  framesPerMember: number;
  /** Batched only: ms between round starts, what sets it, and whether messages wait for rounds. */
  round?: { periodMs: number; pacedBy: PacedBy; busy: boolean };
  postsPerSecond: number;
  /** Lambda requests a second: messages and fan-out workers. */
  invocationsPerSecond: number;
  /** Invocations running at once on average (requests a second × their duration). */
  concurrency: number;
}

/**
 * The invocations `fanOut` splits a room of `members` into: `workersFor` on the first
 * `perWorker + 1` members of a room whose members are spread evenly over its shards.
 */
export const fanOutWorkers = (members: number, perWorker: number | undefined) => {
  if (perWorker === undefined || members <= perWorker) return 1;
  const perShard = members / MEMBER_SHARDS;
  const sample: Member[] = Array.from({ length: perWorker + 1 }, (_, n) => ({
    connectionId: `c${n}`,
    name: 'm',
    shard: Math.min(MEMBER_SHARDS - 1, Math.floor(n / perShard)),
  }));
  return workersFor(sample, perWorker);
};

/** How `load`'s messages are delivered, given the function's settings. */
export const deliveryOf = (
  { members, rate, batchWindowMs }: RoomLoad,
  {
    membersPerWorker,
    roomPosts,
  }: { membersPerWorker: number | undefined; roomPosts: number | undefined },
): Delivery => {
  const workers = fanOutWorkers(members, membersPerWorker);
  const workerMs = SHARD_QUERY_MS + ((members / workers) * 1000) / POSTS_PER_INVOCATION_SECOND;
  // The sender posts its own group while its workers, invoked first, post theirs.
  const fanOutMs =
    workers > 1 ? WORKER_INVOKE_MS + workerMs : (members * 1000) / POSTS_PER_INVOCATION_SECOND;
  const workersBusy = (fanOuts: number) => (fanOuts * (workers - 1) * workerMs) / 1000;
  const perFanOut = MESSAGE_FIXED_MS + fanOutMs;
  if (batchWindowMs === undefined) {
    return {
      workers,
      fanOutMs,
      fanOutsPerSecond: rate,
      messagesPerFanOut: 1,
      framesPerMember: 1,
      // Every member, the sender's acknowledgement among them.
      postsPerSecond: rate * members,
      invocationsPerSecond: rate * workers,
      concurrency: (rate * perFanOut) / 1000 + workersBusy(rate),
    };
  }
  const spacing: [PacedBy, number][] = [
    ['batch window', batchWindowMs],
    // A round's posts hold the next back posts / ROOM_POSTS_PER_SECOND s (`gapAfter`).
    ['room posts budget', roomPosts ? ((members - 1) * 1000) / roomPosts : 0],
    ['round time', perFanOut],
  ];
  const [pacedBy, periodMs] = spacing.reduce((a, b) => (b[1] > a[1] ? b : a));
  const rounds = Math.min(rate, 1000 / periodMs);
  const busy = rate > rounds;
  const messagesPerFanOut = rounds > 0 ? rate / rounds : 0;
  // A member needs at least a frame per MESSAGES_PER_FRAME messages, however rounds are paced.
  const framesPerSecond = Math.max(rounds, rate / MESSAGES_PER_FRAME);
  const framesPerMember = rounds > 0 ? framesPerSecond / rounds : 1;
  return {
    workers,
    fanOutMs,
    fanOutsPerSecond: rounds,
    messagesPerFanOut,
    framesPerMember,
    round: { periodMs, pacedBy, busy },
    // Each sender's acknowledgement at once; each other member a frame per round.
    postsPerSecond: rate + (members - 1) * framesPerSecond,
    invocationsPerSecond: rate + rounds * (workers - 1),
    // A busy room keeps one deliverer running (its waits between rounds billed too); the other
    // messages' invocations offer their message and return. A quiet room's messages deliver
    // themselves.
    concurrency: busy
      ? 1 + (rate * MESSAGE_FIXED_MS) / 1000 + workersBusy(rounds)
      : (rate * perFanOut) / 1000 + workersBusy(rounds),
  };
};
