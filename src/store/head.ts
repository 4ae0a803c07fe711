import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { headKey } from './keys.js';

interface Deps {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** The room's last claimed seq, 0 for a room that has never had a message. */
export const readHead = async ({ client, tableName }: Deps, room: string) => {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: headKey(room), ConsistentRead: true }),
  );
  return (Item?.lastSeq as number | undefined) ?? 0;
};

/**
 * Claims the room's next seq with one atomic `ADD` on its head item. DynamoDB serializes
 * single-item updates, so concurrent writers never conflict and nobody retries.
 */
export const claimSeq = async ({ client, tableName }: Deps, room: string): Promise<number> => {
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
