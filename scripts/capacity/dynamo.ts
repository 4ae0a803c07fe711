/**
 * What a room's messages cost DynamoDB a second: on the room's own partition (`ROOM#<room>`: the
 * seq claims, the messages, the member Queries), which no setting or quota widens, and in all
 * (the bill). Reads are strongly consistent, 4 KB a read unit, as the store makes them.
 */

import type { Limits } from '../../src/config.js';
import { MEMBER_SHARDS } from '../../src/store/dynamo/keys.js';
import type { Delivery } from './delivery.js';
import { LOG_PARTITION_UNITS, MEMBER_BYTES, MESSAGE_BYTES, MESSAGE_UNITS } from './sample.js';

const readUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096));

/**
 * Read units of one fan-out's member Queries: one for a room that fits one invocation (the
 * sample is the whole room); else the sample and one Query per shard.
 */
export const memberQueryUnits = (
  members: number,
  workers: number,
  perWorker: number | undefined,
) =>
  workers === 1
    ? readUnits(members * MEMBER_BYTES)
    : readUnits(((perWorker ?? 0) + 1) * MEMBER_BYTES) +
      MEMBER_SHARDS * readUnits((members / MEMBER_SHARDS) * MEMBER_BYTES);

export interface DynamoLoad {
  /** Write and read units a second on the room's partition. */
  partitionWcu: number;
  partitionRcu: number;
  /** Write and read request units a second in all (on-demand billing). */
  wru: number;
  rru: number;
}

/** DynamoDB's load from `rate` messages a second to `members` delivered as `delivery` says. */
export const dynamoOf = (
  { members, rate }: { members: number; rate: number },
  delivery: Delivery,
  limits: Limits,
  perWorker: number | undefined,
): DynamoLoad => {
  const { fanOutsPerSecond, messagesPerFanOut, workers, round } = delivery;
  const partitionWcu = rate * LOG_PARTITION_UNITS;
  const queries = fanOutsPerSecond * memberQueryUnits(members, workers, perWorker);
  // A busy round reads the others' messages from the log; a quiet one has its own in hand.
  const logReads = round?.busy
    ? fanOutsPerSecond * readUnits(messagesPerFanOut * MESSAGE_BYTES)
    : 0;
  // The frame budget's charges: the connection's, its network's, and its share of the room.
  const admission = 1 + (limits.sourceFrames ? 1 : 0) + (limits.roomShare ? 1 : 0);
  // Batched: the offer of each message to the room's delivery item; a round's start and end
  // (a quiet round only ends: `src/store/members/delivery.ts`).
  const delivering = round ? rate + fanOutsPerSecond * (round.busy ? 2 : 1) : 0;
  return {
    partitionWcu,
    partitionRcu: queries + logReads,
    wru: rate * (MESSAGE_UNITS + admission) + delivering,
    // And the id lookup (is this id a retry?) of each message.
    rru: queries + logReads + rate,
  };
};
