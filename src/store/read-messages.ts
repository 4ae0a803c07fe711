import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { MAX_SEQ, messageSk, roomPk } from './keys.js';
import type { ChatMessage, MessagePage } from './types.js';

interface Deps {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** Messages with `seq > after`, ascending, at most `limit`. */
export const readAfter = (deps: Deps, room: string, after: number, limit: number) =>
  readRange(deps, room, after + 1, MAX_SEQ, limit, true);

/** The newest messages with `seq < before` (all when absent), returned ascending. */
export const readBefore = async (
  deps: Deps,
  room: string,
  before: number | undefined,
  limit: number,
): Promise<MessagePage> => {
  const upper = before === undefined ? MAX_SEQ : Math.min(before - 1, MAX_SEQ);
  if (upper < 1) return { messages: [], hasMore: false };
  const page = await readRange(deps, room, 1, upper, limit, false);
  return { messages: page.messages.reverse(), hasMore: page.hasMore };
};

/** Pages through the log, however many 1 MB Query pages that takes, until `limit` + 1 items. */
const readRange = async (
  { client, tableName }: Deps,
  room: string,
  from: number,
  to: number,
  limit: number,
  ascending: boolean,
): Promise<MessagePage> => {
  if (limit < 1 || from > to) return { messages: [], hasMore: false };
  const messages: ChatMessage[] = [];
  const pages = paginateQuery(
    { client, pageSize: limit + 1 },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': roomPk(room),
        ':from': messageSk(from),
        ':to': messageSk(to),
      },
      ScanIndexForward: ascending,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      if (messages.length === limit) return { messages, hasMore: true };
      messages.push(toMessage(item));
    }
  }
  return { messages, hasMore: false };
};

/** The message event as stored, without its keys. */
export const toMessage = (item: Record<string, unknown>): ChatMessage => ({
  room: item.room as string,
  seq: item.seq as number,
  ...(item.id !== undefined ? { id: item.id as string } : {}),
  sender: item.sender as string,
  text: item.text as string,
  sentAt: item.sentAt as string,
});
