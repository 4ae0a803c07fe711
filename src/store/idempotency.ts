import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef } from './client.js';
import { IdReusedError } from './errors.js';
import { foldMessage } from './fold.js';
import { idempotencyKey } from './keys.js';
import { isUpdateItem, toMessage } from './log-items.js';
import { readEventState } from './message-state.js';
import type { AppendResult, NewMessage } from './types.js';
import type { IdRecord } from './write-message.js';

/** How long a client id is remembered: a send retried within it is stored once. */
export const DEDUPE_WINDOW_SECONDS = 24 * 60 * 60;

/** The id record a new message would write: keyed by room, author and id, bound to its text. */
export const newIdRecord = (input: NewMessage & { id: string }, now: number): IdRecord => ({
  key: idempotencyKey(input.room, input.author, input.id),
  fingerprint: createHash('sha256').update(input.text).digest('base64url'),
  expiresAt: Math.floor(now / 1000) + DEDUPE_WINDOW_SECONDS,
});

/** The live record of an id, if this author used it within the window. */
export const readIdRecord = async (
  { client, tableName, now }: ClockedTableRef,
  record: IdRecord,
): Promise<Record<string, unknown> | undefined> => {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: record.key, ConsistentRead: true }),
  );
  return Item && isLive(Item, now()) ? Item : undefined;
};

/** TTL deletes lazily: a record past its window is treated as gone. */
const isLive = (item: Record<string, unknown>, now: number) =>
  typeof item.expiresAt !== 'number' || item.expiresAt >= Math.floor(now / 1000);

/**
 * A send whose id this author already used: the original message in its current state if the
 * text is the same (a retry; a deleted message stays deleted), refused if it is not (a client
 * reusing ids must not lose its new text silently).
 */
export const originalOf = async (
  deps: ClockedTableRef,
  input: NewMessage & { id: string },
  record: IdRecord,
  existing: Record<string, unknown>,
): Promise<AppendResult> => {
  if (existing.fingerprint !== record.fingerprint) throw new IdReusedError(input.id);
  const seq = existing.seq as number;
  const { item, revision } = await readEventState(deps, input.room, seq);
  const message =
    item && item.tombstone !== true && !isUpdateItem(item)
      ? foldMessage(toMessage(item), revision)
      : // The event may have been removed by retention; the seq it got is still the answer.
        { room: input.room, seq, id: input.id, sender: input.sender, text: input.text, sentAt: '' };
  return { message, duplicate: true };
};
