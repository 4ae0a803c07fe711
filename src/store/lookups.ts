import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
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
