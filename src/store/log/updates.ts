import type { ClockedTableRef } from '../dynamo/client.js';
import { newItemPut, putIfAbsent, readFailedItem } from '../dynamo/conditional.js';
import {
  MessageDeletedError,
  MessageNotFoundError,
  NotAuthorError,
  StoreError,
} from '../dynamo/errors.js';
import { messageKey, revisionKey } from '../dynamo/keys.js';
import { isModerationItem } from '../moderation/moderation-event.js';
import type { KnownTimes } from '../rates/gcra.js';
import { type RoomCharge, roomCharge } from '../rates/room-charge.js';
import type { NewUpdate, UpdateResult } from '../types.js';
import type { AppendOptions } from './append.js';
import { atClaimedSeq, CLAIM_AGAIN, giveUpSeq, writeOrResolve } from './claimed-seq.js';
import { updateUnits } from './event-units.js';
import { renderUpdate } from './fold.js';
import { forgetIdText } from './idempotency.js';
import {
  authorOfItem,
  isUpdateItem,
  type Revision,
  toRevision,
  type UpdateEvent,
} from './log-items.js';
import { readEventState } from './message-state.js';
import { transact } from './write-message.js';

type StoreAccess = ClockedTableRef & {
  known: KnownTimes;
};

type UpdateInput = NewUpdate & ({ kind: 'edit'; text: string } | { kind: 'delete' });

/** Appends an edit of the message at `target` by its author, and makes `text` its current state. */
export const editMessage = (
  deps: StoreAccess,
  input: NewUpdate & { text: string },
  options?: AppendOptions,
) => appendUpdate(deps, { ...input, kind: 'edit' }, options);

/**
 * Appends the deletion of the message at `target` by its author; its text is never read out
 * again, and its id record no longer holds the text's fingerprint. A message already deleted
 * answers with that deletion, and nothing is stored.
 */
export const deleteMessage = (deps: StoreAccess, input: NewUpdate, options?: AppendOptions) =>
  appendUpdate(deps, { ...input, kind: 'delete' }, options);

/**
 * Checks the target (a message, by this author unless a moderator deletes it, not deleted) with
 * one consistent read, then
 * appends the event at a newly claimed seq (charged to the room's rate like a message) together
 * with the target's revision, in one transaction. Checked before the claim: a refused update
 * uses up no seq and none of the room's rate.
 */
const appendUpdate = async (
  deps: StoreAccess,
  input: UpdateInput,
  { roomRate, ...budget }: AppendOptions = {},
): Promise<UpdateResult> => {
  const { item, revision } = await readEventState(deps, input.room, input.target);
  if (!item || item.tombstone === true || isUpdateItem(item) || isModerationItem(item)) {
    throw new MessageNotFoundError(input.target);
  }
  // A moderator may delete anyone's message, never edit it.
  const byModerator = input.kind === 'delete' && input.asModerator === true;
  if (!byModerator && authorOfItem(item) !== input.author) throw new NotAuthorError(input.target);
  // In write units, as DynamoDB bills the event and the revision it read (see event-units.ts).
  const charge = roomCharge(roomRate, updateUnits(input, revision), budget);
  if (input.kind === 'delete') {
    // After the deletion (or one found done before, whose clearing may have been cut short).
    const deletion = revision?.deleted
      ? alreadyDeleted(input, revision)
      : await appendAtNewSeq(deps, input, charge);
    await forgetTextOfId(deps, input.room, item);
    return deletion;
  }
  if (revision?.deleted) return alreadyDeleted(input, revision);
  return appendAtNewSeq(deps, input, charge);
};

/** Appends the event at a newly claimed seq, with the target's revision. */
const appendAtNewSeq = (
  deps: StoreAccess,
  input: UpdateInput,
  charge: RoomCharge | undefined,
): Promise<UpdateResult> => {
  return atClaimedSeq(deps, input.room, charge, async (seq) => {
    const event: UpdateEvent = {
      seq,
      kind: input.kind,
      target: input.target,
      sender: input.sender,
      // Stamped after the claim, like a message's (see holes.ts).
      sentAt: new Date(deps.now()).toISOString(),
      ...(input.kind === 'edit' ? { text: input.text } : {}),
    };
    const ours: UpdateResult = { update: renderUpdate(event, undefined), duplicate: false };
    return writeOrResolve(
      deps,
      input.room,
      seq,
      () => writeUpdate(deps, input, event, ours),
      () => ours,
    );
  });
};

/** Modes of the revision's write: the event is the latest update, or a deletion under a later edit. */
type Mode = 'latest' | 'under';

/**
 * Writes the event and the revision. When the revision's condition fails: a deletion meanwhile
 * gives the seq up (an edit is refused, a delete answers with that deletion); a later update that
 * landed first leaves the revision to it, except that a deletion still deletes (it is final).
 */
const writeUpdate = async (
  deps: ClockedTableRef,
  input: UpdateInput,
  event: UpdateEvent,
  ours: UpdateResult,
): Promise<UpdateResult | typeof CLAIM_AGAIN> => {
  const { room } = input;
  const item = { ...messageKey(room, event.seq), room, ...event, author: input.author };
  for (const mode of ['latest', 'under'] as const) {
    const sent = await transact(deps, updateTransaction(deps.tableName, item, mode), room);
    if (sent.outcome === 'written') return ours;
    const [onEvent, onRevision] = sent.reasons;
    if (onEvent?.Code === 'ConditionalCheckFailed') {
      const existing = await readFailedItem(deps, onEvent.Item, messageKey(room, event.seq));
      // Only the claimant writes at a seq: anything but a tombstone is ours, its answer lost.
      return existing?.tombstone === true ? CLAIM_AGAIN : ours;
    }
    const key = revisionKey(room, event.target);
    const current = toRevision((await readFailedItem(deps, onRevision?.Item, key)) ?? {});
    if (current.deleted) {
      await giveUpSeq(deps, room, event.seq);
      return alreadyDeleted(input, current);
    }
    if (input.kind === 'delete') continue;
    // A later edit landed first: this one is an event of the log all the same (its seq was
    // claimed), and reads render it from the later state, as this answer does. Its own text is
    // read nowhere, so it is stored nowhere: put outside the revision's transaction, it could
    // land after a deletion and a purge of the message and put the text back.
    const { text: _superseded, ...withoutText } = item;
    const put = await putIfAbsent(deps, withoutText);
    if (!put.written && put.existing?.tombstone === true) return CLAIM_AGAIN;
    return { update: renderUpdate(event, current), duplicate: false };
  }
  throw new StoreError(`could not record the deletion of message ${event.target} in "${room}"`);
};

/**
 * Clears the fingerprint of a deleted message's id record (see `forgetIdText`). A failure leaves
 * it to the purge: the deletion is stored and must still reach the room, and a resend of the id
 * answers the deletion either way.
 */
const forgetTextOfId = async (
  deps: ClockedTableRef,
  room: string,
  item: Record<string, unknown>,
) => {
  if (typeof item.id !== 'string') return;
  const message = { seq: item.seq as number, author: authorOfItem(item), id: item.id };
  await forgetIdText(deps, room, message).catch(() => undefined);
};

/** What an update of a deleted message gets: an edit is refused, a delete gets that deletion. */
const alreadyDeleted = (input: UpdateInput, revision: Revision): UpdateResult => {
  if (input.kind === 'edit') throw new MessageDeletedError(input.target);
  return {
    update: {
      seq: revision.deletedSeq ?? revision.rev,
      target: input.target,
      deleted: true,
      deletedAt: revision.deletedAt ?? '',
    },
    duplicate: true,
  };
};

/** The event's put and the revision's update, as one transaction. */
const updateTransaction = (
  tableName: string,
  item: Record<string, unknown> & UpdateEvent,
  mode: Mode,
) => ({
  TransactItems: [
    newItemPut(tableName, item),
    {
      Update: {
        TableName: tableName,
        Key: revisionKey(item.room as string, item.target),
        ...revisionUpdate(item, mode),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    },
  ],
});

/**
 * The revision's new state. `latest`: the event is the highest update so far (`rev` below its
 * seq) and the message is not deleted. `under`: a deletion whose seq is below a later edit's,
 * which deletes all the same and leaves `rev` where it is. A delete REMOVEs the text.
 */
const revisionUpdate = (event: UpdateEvent, mode: Mode) => {
  const latest = mode === 'latest';
  const set = latest ? ['#seq = :target', '#rev = :seq'] : [];
  const names: Record<string, string> = { '#rev': 'rev', '#deleted': 'deleted' };
  const values: Record<string, unknown> = { ':seq': event.seq };
  if (latest) {
    names['#seq'] = 'seq';
    values[':target'] = event.target;
  }
  let remove = '';
  if (event.kind === 'edit') {
    set.push('#text = :text', '#editedAt = :at');
    Object.assign(names, { '#text': 'text', '#editedAt': 'editedAt' });
    Object.assign(values, { ':text': event.text, ':at': event.sentAt });
  } else {
    set.push('#deleted = :true', '#deletedAt = :at', '#deletedSeq = :seq');
    Object.assign(names, {
      '#text': 'text',
      '#deletedAt': 'deletedAt',
      '#deletedSeq': 'deletedSeq',
    });
    Object.assign(values, { ':true': true, ':at': event.sentAt });
    remove = ' REMOVE #text';
  }
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove}`,
    ConditionExpression: latest
      ? '(attribute_not_exists(#rev) OR #rev < :seq) AND attribute_not_exists(#deleted)'
      : '#rev > :seq AND attribute_not_exists(#deleted)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};
