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
import type { ClockedTableRef, TableRef } from '../dynamo/client.js';
import { conditionalUpdate } from '../dynamo/conditional.js';
import { deliveryKey } from '../dynamo/keys.js';

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

/**
 * Adds a stored message to its room's undelivered ones and, if nobody delivers the room now,
 * makes the caller (`owner`) its deliverer until `until`. One write, busy room or quiet: the lease
 * is taken where there is none (`if_not_exists`); a lease that ran out (its holder died) is taken
 * over with a second, conditional, write.
 */
export const offerForDelivery = async (
  deps: ClockedTableRef,
  room: string,
  message: Undelivered,
  owner: string,
  until: number,
): Promise<Offered> => {
  const { Attributes = {} } = await deps.client.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: deliveryKey(room),
      UpdateExpression:
        'ADD pending :entry SET #owner = if_not_exists(#owner, :owner), leaseUntil = if_not_exists(leaseUntil, :until), expiresAt = :expiresAt',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: {
        ':entry': new Set([entryOf(message)]),
        ':owner': owner,
        ':until': until,
        ':expiresAt': Math.floor(deps.now() / 1000) + DELIVERY_TTL_SECONDS,
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  if (Attributes.owner === owner) return claimed(Attributes);
  // Held, its holder cannot give it up before delivering this message (see `endRound`).
  if (Number(Attributes.leaseUntil) >= deps.now()) return { claimed: false };
  const taken = await conditionalUpdate(deps, {
    Key: deliveryKey(room),
    UpdateExpression: 'SET #owner = :owner, leaseUntil = :until',
    ConditionExpression: '#owner = :holder AND leaseUntil < :now',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: {
      ':owner': owner,
      ':until': until,
      ':holder': Attributes.owner,
      ':now': deps.now(),
    },
    ReturnValues: 'ALL_NEW',
  });
  // Another invocation took it over first, after this message was added: it delivers it.
  return taken.applied ? claimed(taken.attributes) : { claimed: false };
};

const claimed = ({ pending, roundAt, lastPosts }: Record<string, unknown>): Offered => ({
  claimed: true,
  pending: entriesOf(pending),
  lastRoundAt: typeof roundAt === 'number' ? roundAt : undefined,
  lastPosts: typeof lastPosts === 'number' ? lastPosts : undefined,
});

/** What the end of a delivery round came to. */
export type RoundEnd =
  /** Nothing else was waiting: the lease is free. */
  | { outcome: 'released' }
  /** Messages came meanwhile: the caller still holds the lease. */
  | { outcome: 'more' }
  /** The lease ran out and another invocation took it (and the messages still waiting). */
  | { outcome: 'lost' };

const setOf = (messages: Undelivered[]) => new Set(messages.map(entryOf));

/**
 * Ends the owner's round, which began at `roundAt` and made `posts` posts: removes the messages it
 * delivered and gives the lease up, unless more are waiting (then it keeps the lease and says so).
 * `giveUp`: release even so (the owner's time is short), leaving the rest to the next deliverer.
 * The round's start and posts stay for the next deliverer, who waits its turn by them.
 */
export const endRound = async (
  deps: TableRef,
  room: string,
  owner: string,
  delivered: Undelivered[],
  { roundAt, posts, giveUp = false }: { roundAt: number; posts: number; giveUp?: boolean },
): Promise<RoundEnd> => {
  const ended = await conditionalUpdate(deps, {
    Key: deliveryKey(room),
    UpdateExpression:
      'DELETE pending :delivered SET roundAt = :roundAt, lastPosts = :posts REMOVE #owner, leaseUntil',
    ConditionExpression: giveUp ? '#owner = :owner' : '#owner = :owner AND size(pending) = :count',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: {
      ':delivered': setOf(delivered),
      ':roundAt': roundAt,
      ':posts': posts,
      ':owner': owner,
      ...(giveUp ? {} : { ':count': delivered.length }),
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  });
  if (ended.applied) return { outcome: 'released' };
  if (ended.old?.owner !== owner || giveUp) return { outcome: 'lost' };
  return { outcome: 'more' };
};

/**
 * Starts the owner's next round, its lease renewed until `until`: removes what it delivered last
 * (when it did) and returns what waits now; undefined when the lease was lost.
 */
export const startRound = async (
  deps: TableRef,
  room: string,
  owner: string,
  until: number,
  delivered: Undelivered[] = [],
): Promise<Undelivered[] | undefined> => {
  const started = await conditionalUpdate(deps, {
    Key: deliveryKey(room),
    UpdateExpression: `${delivered.length ? 'DELETE pending :delivered ' : ''}SET leaseUntil = :until`,
    ConditionExpression: '#owner = :owner',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: {
      ...(delivered.length ? { ':delivered': setOf(delivered) } : {}),
      ':until': until,
      ':owner': owner,
    },
    ReturnValues: 'ALL_NEW',
  });
  return started.applied ? entriesOf(started.attributes.pending) : undefined;
};
