/**
 * What appending an event to a room's log costs in write units (see `write-units.ts`), known
 * before its seq is claimed: the claim, and the items the event's write puts or updates, sized
 * with the largest seq and a full timestamp.
 */

import { MAX_SEQ, messageKey, revisionKey } from '../dynamo/keys.js';
import { itemBytes, transactionUnits, writeUnits } from '../dynamo/write-units.js';
import type { NewMessage } from '../types.js';
import type { Revision } from './log-items.js';
import type { IdRecord } from './write-message.js';

/** The claim of a seq: one update of the room's head item, which is well under 1 KB. */
export const CLAIM_UNITS = 1;

/** A `sentAt` as the store stamps it (`toISOString`). */
const SENT_AT = new Date(0).toISOString();

/** A message: the claim, and its item alone or in a transaction with its id record. */
export const messageUnits = (input: NewMessage, idRecord: IdRecord | undefined) => {
  const { room, id, sender, userId, text, author } = input;
  const item = itemBytes({
    ...messageKey(room, MAX_SEQ),
    room,
    seq: MAX_SEQ,
    id,
    sender,
    userId: userId || undefined,
    text,
    sentAt: SENT_AT,
    author,
  });
  if (!idRecord) return CLAIM_UNITS + writeUnits(item);
  const { key, ...record } = idRecord;
  return CLAIM_UNITS + transactionUnits(item, itemBytes({ ...key, seq: MAX_SEQ, ...record }));
};

/** An edit or a deletion as `updates.ts` writes it. */
export interface UpdateDraft {
  room: string;
  target: number;
  sender: string;
  author: string;
  kind: 'edit' | 'delete';
  text?: string;
}

/**
 * An edit or a deletion: the claim, and a transaction of the event's put and the revision's
 * update, which DynamoDB bills by the larger of the revision before (`current`) and after.
 */
export const updateUnits = (input: UpdateDraft, current: Revision | undefined) => {
  const { room, target, sender, author, kind, text } = input;
  const event = itemBytes({
    ...messageKey(room, MAX_SEQ),
    room,
    seq: MAX_SEQ,
    kind,
    target,
    sender,
    sentAt: SENT_AT,
    text,
    author,
  });
  const key = itemBytes(revisionKey(room, target));
  const before = current ? key + itemBytes({ ...current }) : 0;
  const change =
    kind === 'edit'
      ? { text, editedAt: SENT_AT }
      : { text: undefined, deleted: true, deletedAt: SENT_AT, deletedSeq: MAX_SEQ };
  const after = key + itemBytes({ ...current, seq: target, rev: MAX_SEQ, ...change });
  return CLAIM_UNITS + transactionUnits(event, Math.max(before, after));
};
