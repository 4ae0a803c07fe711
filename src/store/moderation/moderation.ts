import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ClockedTableRef, TableRef } from '../dynamo/client.js';
import { MAX_SEQ, moderationKey } from '../dynamo/keys.js';
import { itemBytes, transactionUnits, writeUnits } from '../dynamo/write-units.js';
import type { AppendOptions } from '../log/append.js';
import { atClaimedSeq, writeOrResolve } from '../log/claimed-seq.js';
import { CLAIM_UNITS } from '../log/event-units.js';
import type { KnownTimes } from '../rates/gcra.js';
import { roomCharge } from '../rates/room-charge.js';
import { ModerationFullError, NotRestrictedError } from './moderation-errors.js';
import { moderationItem } from './moderation-event.js';
import {
  bytesAfter,
  inForce,
  MAX_RESTRICTIONS,
  MAX_STATE_BYTES,
  type RegisterWrite,
  registersOf,
  restrictionsInForce,
} from './moderation-state.js';
import type { ModerationEvent, NewModeration } from './moderation-types.js';
import { writeModeration } from './moderation-write.js';

type Item = Record<string, unknown>;

type StoreAccess = ClockedTableRef & { known: KnownTimes };

/** The room's moderation item, strongly consistent; undefined for a room never moderated. */
export const readModerationItem = async ({ client, tableName }: TableRef, room: string) => {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: moderationKey(room), ConsistentRead: true }),
  );
  return Item;
};

/**
 * Appends a moderation action to the room's log at a newly claimed seq (charged to the room's rate
 * like an edit) and applies it to the room's state in the same transaction, so the log and the
 * state never disagree. Checked against the state first (a lift of nothing, a full room): a
 * refused action uses up no seq and none of the room's rate.
 */
export const appendModeration = async (
  deps: StoreAccess,
  input: NewModeration,
  { roomRate, ...budget }: AppendOptions = {},
): Promise<ModerationEvent> => {
  const seen = (await readModerationItem(deps, input.room)) ?? {};
  const draft = eventOf(input, MAX_SEQ, deps.now());
  refuseIfUnfit(input, seen, registersOf(draft), deps.now());
  const charge = roomCharge(roomRate, unitsOf(input.room, draft, seen), budget);
  return atClaimedSeq(deps, input.room, charge, async (seq) => {
    // Stamped after the claim, like a message's (see holes.ts); a ban's end counts from then.
    const event = eventOf(input, seq, deps.now());
    return writeOrResolve(
      deps,
      input.room,
      seq,
      () => writeModeration(deps, input.room, event, seen),
      () => event,
    );
  });
};

/** The event an action makes at a seq and time. */
const eventOf = (input: NewModeration, seq: number, now: number): ModerationEvent => {
  const at = new Date(now).toISOString();
  if (input.action === 'roomsettings') {
    const { slowModeSeconds, readOnly } = input;
    return {
      seq,
      action: input.action,
      by: input.by,
      ...(slowModeSeconds !== undefined ? { slowModeSeconds } : {}),
      ...(readOnly !== undefined ? { readOnly } : {}),
      at,
    };
  }
  const minutes = 'minutes' in input ? input.minutes : undefined;
  const reason = 'reason' in input ? input.reason : undefined;
  return {
    seq,
    action: input.action,
    by: input.by,
    userId: input.userId,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(minutes !== undefined ? { until: new Date(now + minutes * 60_000).toISOString() } : {}),
    at,
  };
};

/** Refuses a lift of a restriction not in force, and a new one the state has no room for. */
const refuseIfUnfit = (input: NewModeration, seen: Item, writes: RegisterWrite[], now: number) => {
  const [write] = writes;
  if (!write || input.action === 'roomsettings' || input.action === 'kick') return;
  if (input.action === 'unban' || input.action === 'unmute') {
    if (inForce(seen, write.name, now)) return;
    const restriction = input.action === 'unban' ? 'banned' : 'muted';
    throw new NotRestrictedError(input.userId, restriction, input.room);
  }
  const grows = !inForce(seen, write.name, now);
  if (grows && restrictionsInForce(seen, now) >= MAX_RESTRICTIONS) {
    throw new ModerationFullError(input.room, MAX_RESTRICTIONS);
  }
  if (bytesAfter(seen, writes) > MAX_STATE_BYTES) {
    throw new ModerationFullError(input.room, MAX_RESTRICTIONS);
  }
};

/**
 * What the action costs in write units: the claim, and the event's put with the state's update in
 * one transaction (billed by the state's larger image), or the event's put alone for a kick.
 */
const unitsOf = (room: string, draft: ModerationEvent, seen: Item) => {
  const event = itemBytes(moderationItem(room, draft));
  const writes = registersOf(draft);
  if (writes.length === 0) return CLAIM_UNITS + writeUnits(event);
  const state = Math.max(itemBytes(seen), bytesAfter(seen, writes)) + 32;
  return CLAIM_UNITS + transactionUnits(event, state);
};
