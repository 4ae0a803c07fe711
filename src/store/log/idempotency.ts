import { createHmac } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef, TableRef } from '../dynamo/client.js';
import { updateIf } from '../dynamo/conditional.js';
import { IdReusedError } from '../dynamo/errors.js';
import { idempotencyKey } from '../dynamo/keys.js';
import type { FingerprintKey } from '../pepper.js';
import type { AppendResult, ChatMessage, NewMessage } from '../types.js';
import { foldMessage } from './fold.js';
import { isUpdateItem, toMessage } from './log-items.js';
import { readEventState } from './message-state.js';
import type { IdRecord } from './write-message.js';

/** How long a client id is remembered: a send retried within it is stored once. */
export const DEDUPE_WINDOW_SECONDS = 24 * 60 * 60;

/** What an id record's fingerprint is keyed with. */
export type Peppered = ClockedTableRef & { fingerprintKey: FingerprintKey };

/** The id record a new message would write: keyed by room, author and id, bound to its text. */
export const newIdRecord = async (
  deps: Peppered,
  input: NewMessage & { id: string },
): Promise<IdRecord> => ({
  key: idempotencyKey(input.room, input.author, input.id),
  fingerprint: fingerprintOf(await deps.fingerprintKey(), input),
  expiresAt: Math.floor(deps.now() / 1000) + DEDUPE_WINDOW_SECONDS,
});

/**
 * A keyed hash (HMAC-SHA256 under the pepper) of room, author, id and text: it tells a retry from
 * a reused id, and a record read out of the table (or a backup) confirms no guess of a text
 * without the pepper.
 */
const fingerprintOf = (key: Buffer, { room, author, id, text }: NewMessage & { id: string }) =>
  createHmac('sha256', key)
    .update(JSON.stringify([room, author, id, text]))
    .digest('base64url');

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
 * A send whose id this author already used: a deleted message answers its deletion, whatever the
 * text (so a resend confirms no guess of a deleted text); otherwise the original message in its
 * current state if the text is the same (a retry), refused if it is not (a client reusing ids
 * must not lose its new text silently).
 */
export const originalOf = async (
  deps: ClockedTableRef,
  input: NewMessage & { id: string },
  record: IdRecord,
  existing: Record<string, unknown>,
): Promise<AppendResult> => {
  const seq = existing.seq as number;
  const { item, revision } = await readEventState(deps, input.room, seq);
  const stored =
    item && item.tombstone !== true && !isUpdateItem(item) ? toMessage(item) : undefined;
  // The event may have been removed by retention; the seq it got is still the answer.
  const message: ChatMessage = stored ?? {
    room: input.room,
    seq,
    id: input.id,
    sender: input.sender,
    text: input.text,
    sentAt: '',
  };
  // A record without a fingerprint is one a deletion cleared (see `forgetIdText`).
  if (revision?.deleted || existing.fingerprint === undefined) {
    const deletion = revision?.deleted ? revision : { seq, rev: seq, deleted: true as const };
    return { message: foldMessage(message, deletion), duplicate: true };
  }
  if (existing.fingerprint !== record.fingerprint) throw new IdReusedError(input.id);
  return { message: foldMessage(message, revision), duplicate: true };
};

/**
 * Clears the fingerprint from the id record of a deleted message (the record stays, so the id
 * still answers the deletion until its window ends): nothing in it is bound to the text any more.
 * Only the record of this very message (its seq): an id reused after its window is another's.
 */
export const forgetIdText = (
  deps: TableRef,
  room: string,
  message: { seq: number; author: string; id: string },
) =>
  updateIf(deps, {
    Key: idempotencyKey(room, message.author, message.id),
    UpdateExpression: 'REMOVE fingerprint',
    ConditionExpression: 'seq = :seq',
    ExpressionAttributeValues: { ':seq': message.seq },
  });
