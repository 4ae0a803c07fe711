/**
 * What one typical message and one member cost DynamoDB and API Gateway, worked out by the code
 * that charges and writes them (`event-units.ts`, `write-units.ts`, `batchRuns`), for an item of
 * the sizes a live room has: a short message with a client id, names and ids of their usual length.
 */

import { batchRuns, type WireMessage } from '../../src/protocol/frames.js';
import { USER_ID_LENGTH } from '../../src/protocol/user-id.js';
import { idempotencyKey, MAX_SEQ, memberKey, messageKey } from '../../src/store/dynamo/keys.js';
import { itemBytes } from '../../src/store/dynamo/write-units.js';
import { CLAIM_UNITS, messageUnits } from '../../src/store/log/event-units.js';

const room = 'general';
const sender = 'alice-from-accounts';
const author = `name:${sender}`;
/** API Gateway's connection ids are 16 characters (`L0SM9cOFvHcCIhw=`). */
const connectionId = 'L0SM9cOFvHcCIhw=';
const userId = 'u'.repeat(USER_ID_LENGTH);
/** A sentence of chat: 80 characters. */
const text = 'x'.repeat(80);
const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

const message = { room, id, author, sender, userId, text };
/** The id record as `newIdRecord` makes it: a base64url HMAC-SHA256 and an epoch-seconds TTL. */
const idRecord = {
  key: idempotencyKey(room, author, id),
  fingerprint: 'f'.repeat(43),
  expiresAt: 2_000_000_000,
};

/** What a message costs the room's rate, and DynamoDB's bill, in write units (5). */
export const MESSAGE_UNITS = messageUnits(message, idRecord);

/**
 * What of that lands on the room's partition: the claim and the message item, twice in the
 * transaction with its id record (whose own partition takes the rest). Unpacked from
 * `messageUnits` without an id record, which is the claim and the item once.
 */
export const LOG_PARTITION_UNITS =
  CLAIM_UNITS + 2 * (messageUnits(message, undefined) - CLAIM_UNITS);

/** A member item as `$connect` writes it: what a strongly consistent Query reads per member. */
export const MEMBER_BYTES = itemBytes({
  ...memberKey(room, connectionId),
  connectionId,
  name: sender,
  userId,
  connectedAt: 1_765_000_000_000,
  expiresAt: 2_000_000_000,
});

/** A message item as the log keeps it (for a round's read of the log). */
export const MESSAGE_BYTES = itemBytes({
  ...messageKey(room, MAX_SEQ),
  ...message,
  seq: MAX_SEQ,
  sentAt: new Date(0).toISOString(),
});

const wire: WireMessage = {
  room,
  seq: MAX_SEQ,
  sender,
  userId,
  text,
  sentAt: new Date(0).toISOString(),
};

/** How many such messages one 32 KiB frame carries (`batchRuns`' first run of plenty). */
export const MESSAGES_PER_FRAME =
  batchRuns(
    room,
    Array.from({ length: 1_000 }, () => wire),
  )[0]?.length ?? 1;
