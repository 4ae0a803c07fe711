import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../dynamo/client.js';
import { messageSk, roomPk } from '../dynamo/keys.js';
import { isRevisionItem, type Revision, toRevision } from './log-items.js';

/** The item at a seq of the log and its revision, each when there is one. */
export interface EventState {
  item?: Record<string, unknown>;
  revision?: Revision;
}

/**
 * Reads the event at a seq together with its revision: one strongly consistent Query of the two
 * keys that begin with its sort key (the padding makes that exactly the two).
 */
export const readEventState = async (
  { client, tableName }: TableRef,
  room: string,
  seq: number,
): Promise<EventState> => {
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': roomPk(room), ':sk': messageSk(seq) },
      ConsistentRead: true,
    }),
  );
  const state: EventState = {};
  for (const item of Items) {
    if (isRevisionItem(item)) state.revision = toRevision(item);
    else state.item = item;
  }
  return state;
};
