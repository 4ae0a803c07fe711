import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { StoreThrottledError } from './errors.js';
import { headKey, messageKey } from './keys.js';
import { itemOfFailure, toMessage, tombstoneItem } from './log-items.js';
import type { ChatMessage } from './types.js';

interface Deps {
  client: DynamoDBDocumentClient;
  tableName: string;
  now: () => number;
}

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

/**
 * Writes a message at the seq its writer claimed, together with its id record when it has one.
 * Only the claimant ever writes a message at a seq, so whatever non-tombstone item is already
 * there is this very message (an attempt whose answer was lost).
 */
export const writeMessage = async (
  deps: Deps,
  message: ChatMessage,
  idRecord: IdRecord | undefined,
): Promise<WriteOutcome> => {
  const item = { ...messageKey(message.room, message.seq), ...message };
  if (!idRecord) return putMessage(deps, item);
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.client.send(new TransactWriteCommand(messageTransaction(deps, item, idRecord)));
      return { outcome: 'stored' };
    } catch (error) {
      if ((error as Error)?.name !== 'TransactionCanceledException') throw error;
      const reasons =
        (error as { CancellationReasons?: { Code?: string; Item?: unknown }[] })
          .CancellationReasons ?? [];
      const [onMessage, onId] = reasons;
      if (onId?.Code === 'ConditionalCheckFailed') {
        const record = (await failedItem(deps, onId.Item, idRecord.key)) ?? {};
        // Our own record, from an attempt whose answer was lost: the message is stored.
        if (record.seq === message.seq) return { outcome: 'stored' };
        return { outcome: 'id_taken', record };
      }
      if (onMessage?.Code === 'ConditionalCheckFailed') {
        const existing = await failedItem(
          deps,
          onMessage.Item,
          messageKey(message.room, message.seq),
        );
        return existing?.tombstone === true ? { outcome: 'tombstoned' } : { outcome: 'stored' };
      }
      const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (!conflict || attempt >= CONFLICT_RETRIES) {
        if (reasons.some((reason) => reason.Code?.startsWith('Throttl'))) {
          throw new StoreThrottledError(`DynamoDB throttled an append to "${message.room}"`, {
            cause: error,
          });
        }
        throw error;
      }
      await sleep(Math.random() * 5 * attempt);
    }
  }
};

const putMessage = async (deps: Deps, item: Record<string, unknown>): Promise<WriteOutcome> => {
  const { client, tableName } = deps;
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'stored' };
  } catch (error) {
    if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    const key = { pk: item.pk as string, sk: item.sk as string };
    const existing = await failedItem(deps, (error as { Item?: unknown }).Item, key);
    return existing?.tombstone === true ? { outcome: 'tombstoned' } : { outcome: 'stored' };
  }
};

const messageTransaction = (
  { tableName, now }: Deps,
  item: Record<string, unknown>,
  { key, fingerprint, expiresAt }: IdRecord,
) => ({
  TransactItems: [
    {
      Put: {
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    },
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

export type Resolution = { outcome: 'tombstone' } | { outcome: 'message'; message: ChatMessage };

/**
 * Resolves a seq whose claimant never wrote it: a conditional put of a tombstone, which loses to
 * a message that got there first (the claimant was only slow) and then returns that message.
 */
export const putTombstone = async (deps: Deps, room: string, seq: number): Promise<Resolution> => {
  const { client, tableName, now } = deps;
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: tombstoneItem(messageKey(room, seq), seq, now()),
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { outcome: 'tombstone' };
  } catch (error) {
    if ((error as Error)?.name !== 'ConditionalCheckFailedException') throw error;
    const existing = await failedItem(
      deps,
      (error as { Item?: unknown }).Item,
      messageKey(room, seq),
    );
    return !existing || existing.tombstone === true
      ? { outcome: 'tombstone' }
      : { outcome: 'message', message: toMessage(existing) };
  }
};

/** The item that failed a condition: as the error returned it, or read again if it did not. */
const failedItem = async (
  { client, tableName }: Deps,
  returned: unknown,
  key: { pk: string; sk: string },
) => {
  const item = itemOfFailure(returned);
  if (item) return item;
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
