import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef } from '../dynamo/client.js';
import { newItemPut, putIfAbsent, readFailedItem } from '../dynamo/conditional.js';
import { StoreThrottledError } from '../dynamo/errors.js';
import { messageKey } from '../dynamo/keys.js';
import type { ChatMessage } from '../types.js';

type MessageKey = ReturnType<typeof messageKey>;

/** What a message's idempotency record holds, and where it goes. */
export interface IdRecord {
  key: { pk: string; sk: string };
  fingerprint: string;
  /** TTL, epoch seconds: the end of the dedupe window. */
  expiresAt: number;
}

export type WriteOutcome =
  | { outcome: 'stored' }
  /** A reader gave the seq up (its writer looked dead): claim another. */
  | { outcome: 'tombstoned' }
  /** The id already has a live record: an earlier or concurrent send of the same id. */
  | { outcome: 'id_taken'; record: Record<string, unknown> };

/** Transaction conflicts are another writer on the same item for a moment, not contention. */
const CONFLICT_RETRIES = 10;

/**
 * Writes a message at the seq its writer claimed, together with its id record when it has one.
 * Only the claimant ever writes a message at a seq, so whatever non-tombstone item is already
 * there is this very message (an attempt whose answer was lost).
 */
export const writeMessage = async (
  deps: ClockedTableRef,
  message: ChatMessage,
  idRecord: IdRecord | undefined,
  author?: string,
): Promise<WriteOutcome> => {
  // The author is stored for edits and deletes to check against, and never read back out.
  const item = {
    ...messageKey(message.room, message.seq),
    ...message,
    ...(author !== undefined ? { author } : {}),
  };
  if (!idRecord) return putMessage(deps, item);
  const sent = await transact(deps, messageTransaction(deps, item, idRecord), message.room);
  if (sent.outcome === 'written') return { outcome: 'stored' };
  const [onMessage, onId] = sent.reasons;
  if (onId?.Code === 'ConditionalCheckFailed') {
    const record = (await readFailedItem(deps, onId.Item, idRecord.key)) ?? {};
    // Our own record, from an attempt whose answer was lost: the message is stored.
    if (record.seq === message.seq) return { outcome: 'stored' };
    return { outcome: 'id_taken', record };
  }
  const key = messageKey(message.room, message.seq);
  return atOurSeq(await readFailedItem(deps, onMessage?.Item, key));
};

/** Why each part of a cancelled transaction failed, in the order of its parts. */
export type CancellationReason = { Code?: string; Item?: unknown };

/**
 * Sends a transaction, retrying while it only conflicts with another writer for a moment, and
 * answers the reasons when a condition failed. Throttling becomes a `StoreThrottledError`.
 */
export const transact = async (
  deps: ClockedTableRef,
  input: TransactWriteCommandInput,
  room: string,
): Promise<{ outcome: 'written' } | { outcome: 'refused'; reasons: CancellationReason[] }> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.client.send(new TransactWriteCommand(input));
      return { outcome: 'written' };
    } catch (error) {
      if ((error as Error)?.name !== 'TransactionCanceledException') throw error;
      const reasons =
        (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
        return { outcome: 'refused', reasons };
      }
      const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (!conflict || attempt >= CONFLICT_RETRIES) {
        if (reasons.some((reason) => reason.Code?.startsWith('Throttl'))) {
          throw new StoreThrottledError(`DynamoDB throttled an append to "${room}"`, {
            cause: error,
          });
        }
        throw error;
      }
      await sleep(Math.random() * 5 * attempt);
    }
  }
};

const putMessage = async (
  deps: ClockedTableRef,
  item: ChatMessage & MessageKey & { author?: string },
): Promise<WriteOutcome> => {
  const put = await putIfAbsent(deps, item);
  return put.written ? { outcome: 'stored' } : atOurSeq(put.existing);
};

/**
 * What an item already at our claimed seq means. Only the claimant writes a message at a seq,
 * so anything but a tombstone is this very message, from an attempt whose answer was lost.
 */
const atOurSeq = (existing: Record<string, unknown> | undefined): WriteOutcome =>
  existing?.tombstone === true ? { outcome: 'tombstoned' } : { outcome: 'stored' };

const messageTransaction = (
  { tableName, now }: ClockedTableRef,
  item: Record<string, unknown>,
  { key, fingerprint, expiresAt }: IdRecord,
) => ({
  TransactItems: [
    newItemPut(tableName, item),
    {
      Put: {
        TableName: tableName,
        Item: { ...key, seq: item.seq, fingerprint, expiresAt },
        // TTL deletes lazily: a record past its window is as good as gone.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': Math.floor(now() / 1000) },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    },
  ],
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
