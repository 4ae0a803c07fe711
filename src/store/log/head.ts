import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../dynamo/client.js';
import { RoomBusyError } from '../dynamo/errors.js';
import { headKey } from '../dynamo/keys.js';
import { chargeRate, KnownTimes, type Rate } from '../rates/gcra.js';

/** The room's last claimed seq, 0 for a room that has never had a message. */
export const readHead = async ({ client, tableName }: TableRef, room: string) => {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: headKey(room), ConsistentRead: true }),
  );
  return (Item?.lastSeq as number | undefined) ?? 0;
};

/** Set by every claim (and `readCreated`), so the first one stamps it and no other changes it. */
const CREATED = 'created = if_not_exists(created, :created)';

/**
 * When the room's log began (epoch ms), which tells this log from one started again in its place
 * (an in-memory table restarted, a table recreated); undefined while the room has never had a
 * message. Strongly consistent: a log that has a message has its `created`.
 */
export const readCreated = async (deps: TableRef & { now?: () => number }, room: string) => {
  const { client, tableName, now = Date.now } = deps;
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: headKey(room), ConsistentRead: true }),
  );
  if (Item === undefined) return undefined;
  if (typeof Item.created === 'number') return Item.created;
  // A head claimed before logs had identities gets one now, once: without it, "none" would not
  // mean "never had a message", and a page could not tell such a log from one started again.
  const { Attributes } = await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: headKey(room),
      UpdateExpression: `SET ${CREATED}`,
      ConditionExpression: 'attribute_exists(lastSeq)',
      ExpressionAttributeValues: { ':created': now() },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return Attributes?.created as number;
};

/**
 * Claims the room's next seq with one atomic update of its head item. DynamoDB serializes
 * single-item updates, so concurrent writers never conflict and nobody retries. With a charge to
 * the room's rate (see `room-charge.ts`), the same write makes it (see `chargeRate`), and a room
 * over its rate claims nothing: no seq is used up, so no hole is left behind. The first claim also
 * stamps the log's `created` (see `readCreated`), in the same write.
 */
export const claimSeq = async (
  deps: TableRef & { known?: KnownTimes; now?: () => number },
  room: string,
  charge?: { rate: Rate; cost: number },
): Promise<number> => {
  const { known = new KnownTimes(), now = Date.now, ...table } = deps;
  if (!charge) return addSeq(table, room, now());
  const charged = await chargeRate(table, known, {
    key: headKey(room),
    attribute: 'rtat',
    rate: charge.rate,
    cost: charge.cost,
    now: now(),
    also: {
      set: ['lastSeq = if_not_exists(lastSeq, :zero) + :one', CREATED],
      values: { ':zero': 0, ':one': 1, ':created': now() },
    },
  });
  if (charged.outcome !== 'admitted') {
    throw new RoomBusyError(room, charged.outcome === 'limited' ? charged.retryAfterMs : 1000);
  }
  return charged.item.lastSeq as number;
};

const addSeq = async (
  { client, tableName }: TableRef,
  room: string,
  now: number,
): Promise<number> => {
  const { Attributes } = await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: headKey(room),
      UpdateExpression: `ADD lastSeq :one SET ${CREATED}`,
      ExpressionAttributeValues: { ':one': 1, ':created': now },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes?.lastSeq as number;
};
