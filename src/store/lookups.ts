import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { headKey, idempotencyKey, messageKey } from './keys.js';
import { toMessage } from './read-messages.js';
import type { ChatMessage } from './types.js';

interface Deps {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** The room's last seq, 0 for a room that has never had a message. */
export const readHead = async ({ client, tableName }: Deps, room: string) => {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: headKey(room), ConsistentRead: true }),
  );
  return (Item?.lastSeq as number | undefined) ?? 0;
};

/** The message an idempotency key points at: what a retried `id` gets back. */
export const readById = async (
  { client, tableName }: Deps,
  room: string,
  id: string,
): Promise<ChatMessage | undefined> => {
  const key = await client.send(
    new GetCommand({ TableName: tableName, Key: idempotencyKey(room, id), ConsistentRead: true }),
  );
  const seq = key.Item?.seq as number | undefined;
  if (seq === undefined) return undefined;
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: messageKey(room, seq), ConsistentRead: true }),
  );
  // The event may have been removed by retention; the seq it got is still the answer.
  return Item ? toMessage(Item) : { room, seq, id, sender: '', text: '', sentAt: '' };
};
