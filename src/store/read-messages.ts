import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef } from './client.js';
import { findHoles, resolveHoles } from './holes.js';
import { MAX_SEQ, messageSk, roomPk } from './keys.js';
import { type LogEntry, toLogEntry } from './log-items.js';
import type { MessagePage } from './types.js';

const EMPTY: MessagePage = { messages: [], skipped: [], hasMore: false };

/** Messages with `seq > after`, ascending, at most `limit`, and the tombstones among them. */
export const readAfter = async (
  deps: ClockedTableRef,
  room: string,
  after: number,
  limit: number,
): Promise<MessagePage> => {
  const read = await readEntries(deps, room, after + 1, MAX_SEQ, limit, true);
  return settle(deps, room, read.entries, read.hasMore, after + 1);
};

/**
 * The newest messages with `seq < before` (all when absent), returned ascending. The entry at
 * `before` itself is read too, only to age a hole just below it.
 */
export const readBefore = async (
  deps: ClockedTableRef,
  room: string,
  before: number | undefined,
  limit: number,
): Promise<MessagePage> => {
  if (before !== undefined && before <= 1) return EMPTY;
  const top = before === undefined ? MAX_SEQ : Math.min(before, MAX_SEQ);
  const read = await readEntries(deps, room, 1, top, limit, false, before);
  const page = await settle(deps, room, read.entries.reverse(), read.hasMore);
  return before === undefined ? page : withoutSeq(page, before);
};

/**
 * Pages through the log with strongly consistent reads (a member who just joined must see every
 * message written before), however many 1 MB Query pages that takes, until `limit` messages
 * and one entry more. Tombstones do not count towards `limit`; `evidence` is read, not counted.
 */
const readEntries = async (
  { client, tableName }: ClockedTableRef,
  room: string,
  from: number,
  to: number,
  limit: number,
  ascending: boolean,
  evidence?: number,
) => {
  const entries: LogEntry[] = [];
  if (limit < 1 || from > to) return { entries, hasMore: false };
  let messages = 0;
  const pages = paginateQuery(
    { client, pageSize: limit + 2 },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': roomPk(room),
        ':from': messageSk(from),
        ':to': messageSk(to),
      },
      ScanIndexForward: ascending,
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const entry = toLogEntry(item);
      if (messages === limit && entry.seq !== evidence) return { entries, hasMore: true };
      entries.push(entry);
      if (entry.kind === 'message' && entry.seq !== evidence) messages++;
    }
  }
  return { entries, hasMore: false };
};

/** Resolves what holes it can among ascending entries and turns them into a page. */
const settle = async (
  deps: ClockedTableRef,
  room: string,
  entries: LogEntry[],
  hasMore: boolean,
  from?: number,
): Promise<MessagePage> => {
  const { skipped, arrived } = await resolveHoles(deps, room, findHoles(entries, from));
  for (const entry of entries) {
    if (entry.kind === 'message') arrived.push(entry.message);
    else skipped.push(entry.seq);
  }
  return {
    messages: arrived.sort((a, b) => a.seq - b.seq),
    skipped: skipped.sort((a, b) => a - b),
    hasMore,
  };
};

const withoutSeq = (page: MessagePage, seq: number): MessagePage => ({
  messages: page.messages.filter((message) => message.seq !== seq),
  skipped: page.skipped.filter((skipped) => skipped !== seq),
  hasMore: page.hasMore,
});
