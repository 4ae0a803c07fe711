/**
 * A room's delivery item: who delivers the room's new messages now (its lease), and the messages
 * stored but not yet delivered (`pending`). One invocation at a time delivers a room; the others
 * add their message to `pending` and return. The deliverer may give the lease up only while
 * `pending` holds nothing it has not delivered (a condition of the same write), so a message added
 * at any moment is either seen by the deliverer's next round or finds the lease free and is
 * delivered by its own invocation. A deliverer that dies keeps the lease until `leaseUntil`; the
 * next message's invocation then takes it, and its messages with it.
 */

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef, TableRef } from './client.js';
import { conditionalUpdate } from './conditional.js';
import { deliveryKey } from './keys.js';

/** A stored message waiting for delivery, and the connection that sent it (which has it already). */
export interface Undelivered {
  seq: number;
  from: string;
}

/** How long an idle room's delivery item lives. */
const DELIVERY_TTL_SECONDS = 24 * 60 * 60;

const entryOf = ({ seq, from }: Undelivered) => `${seq}:${from}`;

const entriesOf = (value: unknown): Undelivered[] =>
  [...(value instanceof Set ? value : [])]
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => {
      const at = entry.indexOf(':');
      return { seq: Number(entry.slice(0, at)), from: entry.slice(at + 1) };
    })
    .filter(({ seq }) => Number.isInteger(seq))
    .sort((a, b) => a.seq - b.seq);

/** What offering a message for delivery came to. */
export type Offered =
  /** The caller holds the lease: it delivers `pending` (its own message among them). */
  | {
      claimed: true;
      pending: Undelivered[];
      /** When the room's last round began, and how many posts it made (none known: undefined). */
      lastRoundAt: number | undefined;
      lastPosts: number | undefined;
    }
  /** Another invocation holds the lease and will deliver the message. */
  | { claimed: false };

/** A few tries to claim a lease seen free: each loss means another invocation took it. */
const MAX_CLAIMS = 3;

/**
 * Adds a stored message to its room's undelivered ones and, if nobody delivers the room now,
 * makes the caller (`owner`) its deliverer until `until`, starting a round now. One write in a
 * quiet room; a busy one's message is added with a second write when the claim is refused.
 */
export const offerForDelivery = async (
  deps: ClockedTableRef,
  room: string,
  message: Undelivered,
  owner: string,
  until: number,
): Promise<Offered> => {
  const entry = new Set([entryOf(message)]);
  const expiresAt = () => Math.floor(deps.now() / 1000) + DELIVERY_TTL_SECONDS;
  for (let attempt = 1; attempt <= MAX_CLAIMS; attempt++) {
    const now = deps.now();
    const claim = await conditionalUpdate(deps, {
      Key: deliveryKey(room),
      UpdateExpression:
        'ADD pending :entry SET #owner = :owner, leaseUntil = :until, roundAt = :now, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: {
        ':entry': entry,
        ':owner': owner,
        ':until': until,
        ':now': now,
        ':expiresAt': expiresAt(),
      },
      ReturnValues: 'ALL_OLD',
    });
    if (claim.applied) {
      const before = entriesOf(claim.attributes.pending);
      const { roundAt, lastPosts } = claim.attributes;
      return {
        claimed: true,
        pending: entriesOf(new Set([...before.map(entryOf), ...entry])),
        lastRoundAt: typeof roundAt === 'number' ? roundAt : undefined,
        lastPosts: typeof lastPosts === 'number' ? lastPosts : undefined,
      };
    }
    // Added whatever the lease: held at the moment of this write, its holder cannot give it up
    // before delivering this message; free, the claim is tried again.
    const { Attributes } = await deps.client.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: deliveryKey(room),
        UpdateExpression: 'ADD pending :entry SET expiresAt = :expiresAt',
        ExpressionAttributeValues: { ':entry': entry, ':expiresAt': expiresAt() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const leaseUntil = Attributes?.leaseUntil;
    if (typeof leaseUntil === 'number' && leaseUntil >= deps.now()) return { claimed: false };
  }
  // Others kept taking the lease and giving it up: the next deliverer delivers this message.
  return { claimed: false };
};

/** What the end of a delivery round came to. */
export type RoundEnd =
  /** Nothing else was waiting: the lease is free. */
  | { outcome: 'released' }
  /** Messages came meanwhile: the caller still holds the lease. `roundAt`: when its round began. */
  | { outcome: 'more'; roundAt: number }
  /** The lease ran out and another invocation took it (and the messages still waiting). */
  | { outcome: 'lost' };

const setOf = (messages: Undelivered[]) => new Set(messages.map(entryOf));

/**
 * Ends the owner's round, which made `posts` posts: removes the messages it delivered and gives
 * the lease up, unless more are waiting (then it keeps the lease and says so). `giveUp`: release
 * even so (the owner's time is short), leaving the rest to the next deliverer.
 */
export const endRound = async (
  deps: TableRef,
  room: string,
  owner: string,
  delivered: Undelivered[],
  { posts, giveUp = false }: { posts: number; giveUp?: boolean },
): Promise<RoundEnd> => {
  const ended = await conditionalUpdate(deps, {
    Key: deliveryKey(room),
    UpdateExpression:
      'DELETE pending :delivered SET leaseUntil = :free, lastPosts = :posts REMOVE #owner',
    ConditionExpression: giveUp ? '#owner = :owner' : '#owner = :owner AND size(pending) = :count',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: {
      ':delivered': setOf(delivered),
      ':free': 0,
      ':posts': posts,
      ':owner': owner,
      ...(giveUp ? {} : { ':count': delivered.length }),
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
  if (ended.applied) return { outcome: 'released' };
  if (ended.old?.owner !== owner || giveUp) return { outcome: 'lost' };
  return { outcome: 'more', roundAt: Number(ended.old.roundAt) };
};

/**
 * Starts the owner's next round now, its lease renewed until `until`: removes what it delivered
 * last (when it did) and returns what waits now; undefined when the lease was lost.
 */
export const startRound = async (
  deps: ClockedTableRef,
  room: string,
  owner: string,
  until: number,
  delivered: Undelivered[] = [],
): Promise<Undelivered[] | undefined> => {
  const started = await conditionalUpdate(deps, {
    Key: deliveryKey(room),
    UpdateExpression: `${delivered.length ? 'DELETE pending :delivered ' : ''}SET roundAt = :now, leaseUntil = :until`,
    ConditionExpression: '#owner = :owner',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: {
      ...(delivered.length ? { ':delivered': setOf(delivered) } : {}),
      ':now': deps.now(),
      ':until': until,
      ':owner': owner,
    },
    ReturnValues: 'ALL_NEW',
  });
  return started.applied ? entriesOf(started.attributes.pending) : undefined;
};
