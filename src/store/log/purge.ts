import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from '../dynamo/client.js';
import { updateIf } from '../dynamo/conditional.js';
import { MAX_SEQ, messageKey, messageSk, revisionSk, roomPk } from '../dynamo/keys.js';
import { forgetIdText } from './idempotency.js';
import { authorOfItem, isRevisionItem, isUpdateItem } from './log-items.js';

/** What a purge removed: texts of deleted messages, and of the edits that had rewritten them. */
export interface PurgeReport {
  /** Deleted messages whose events were purged. */
  messages: number[];
  /** Edit events whose text was removed. */
  edits: number;
}

/**
 * Removes the text a deleted message leaves in the table: from its original event and from each
 * of its edit events (the revision already holds none), and its id record's fingerprint if the
 * deletion did not get to clear it. For an operator (`scripts/purge-deleted.ts`):
 * the app never calls it, and the log stays append-only otherwise. Reads the room's log from
 * `target` (the whole log when absent) with one Query, projected to what it needs.
 */
export const purgeDeletedTexts = async (
  deps: TableRef,
  room: string,
  target?: number,
): Promise<PurgeReport> => {
  const deleted = new Set<number>();
  const edits = new Map<number, number[]>();
  const ids = new Map<number, { seq: number; author: string; id: string }>();
  const pages = paginateQuery(
    { client: deps.client },
    {
      TableName: deps.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': roomPk(room),
        ':from': messageSk(target ?? 1),
        ':to': revisionSk(MAX_SEQ),
      },
      ProjectionExpression: 'sk, seq, kind, target, deleted, id, author, sender',
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const seq = item.seq as number;
      if (target !== undefined && seq !== target && item.target !== target) continue;
      if (isRevisionItem(item)) {
        if (item.deleted === true) deleted.add(seq);
        continue;
      }
      if (typeof item.id === 'string' && !isUpdateItem(item)) {
        ids.set(seq, { seq, author: authorOfItem(item), id: item.id });
      }
      if (item.kind === 'edit') {
        const of = item.target as number;
        edits.set(of, [...(edits.get(of) ?? []), seq]);
      }
    }
  }
  const messages = [...deleted].sort((a, b) => a - b);
  const events = messages.flatMap((seq) => [seq, ...(edits.get(seq) ?? [])]);
  for (const seq of events) await removeText(deps, room, seq);
  for (const seq of messages) {
    const id = ids.get(seq);
    if (id) await forgetIdText(deps, room, id);
  }
  return { messages, edits: events.length - messages.length };
};

/** REMOVEs `text` from one event; an event removed meanwhile is not made again. */
const removeText = async (deps: TableRef, room: string, seq: number) => {
  await updateIf(deps, {
    Key: messageKey(room, seq),
    UpdateExpression: 'REMOVE #text',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#text': 'text' },
  });
};
