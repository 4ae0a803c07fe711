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

/**
 * Claims the room's next seq with one atomic update of its head item. DynamoDB serializes
 * single-item updates, so concurrent writers never conflict and nobody retries. With a charge to
 * the room's rate (see `room-charge.ts`), the same write makes it (see `chargeRate`), and a room
 * over its rate claims nothing: no seq is used up, so no hole is left behind.
 */
export const claimSeq = async (
  deps: TableRef & { known?: KnownTimes; now?: () => number },
  room: string,
  charge?: { rate: Rate; cost: number },
): Promise<number> => {
  if (!charge) return addSeq(deps, room);
  const { known = new KnownTimes(), now = Date.now, ...table } = deps;
  const charged = await chargeRate(table, known, {
    key: headKey(room),
    attribute: 'rtat',
    rate: charge.rate,
    cost: charge.cost,
    now: now(),
    also: {
      set: ['lastSeq = if_not_exists(lastSeq, :zero) + :one'],
      values: { ':zero': 0, ':one': 1 },
    },
  });
  if (charged.outcome !== 'admitted') {
    throw new RoomBusyError(room, charged.outcome === 'limited' ? charged.retryAfterMs : 1000);
  }
  return charged.item.lastSeq as number;
};

const addSeq = async ({ client, tableName }: TableRef, room: string): Promise<number> => {
  const { Attributes } = await client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: headKey(room),
      UpdateExpression: 'ADD lastSeq :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes?.lastSeq as number;
};
