import type { ClockedTableRef } from '../dynamo/client.js';
import { newItemPut, putIfAbsent, readFailedItem } from '../dynamo/conditional.js';
import { StoreError } from '../dynamo/errors.js';
import { moderationKey } from '../dynamo/keys.js';
import { CLAIM_AGAIN, giveUpSeq } from '../log/claimed-seq.js';
import { transact } from '../log/write-message.js';
import { moderationItem } from './moderation-event.js';
import {
  FLOOR,
  prunableOf,
  type RegisterWrite,
  registersOf,
  standingOf,
} from './moderation-state.js';
import type { ModerationEvent } from './moderation-types.js';

type Item = Record<string, unknown>;

/**
 * Writes the event at its seq and its registers on the state, together. Each register is set only
 * where the event is the latest to set it (see `moderation-state.ts`): when a later event landed
 * first, the state keeps its value, and the event is stored alone. When a pruned register may
 * have held a later value, the seq is given up and another claimed. Spent registers below the
 * event's seq are pruned on the way, unless that is what makes the write fail.
 */
export const writeModeration = async (
  deps: ClockedTableRef,
  room: string,
  event: ModerationEvent,
  seen: Item,
): Promise<ModerationEvent | typeof CLAIM_AGAIN> => {
  const item = moderationItem(room, event);
  let pending = registersOf(event);
  // A register the event sets is not also removed (one expression may not touch a path twice).
  let pruned = prunableOf(seen, event.seq, deps.now()).filter(
    ({ name }) => !pending.some((write) => write.name === name),
  );
  // Each failed try drops the pruning or at least one register: it ends.
  for (let tries = 0; pending.length > 0 && tries <= pending.length + 1; tries++) {
    const update = stateUpdate(room, event.seq, pending, pruned);
    const sent = await transact(
      deps,
      {
        TransactItems: [
          newItemPut(deps.tableName, item),
          { Update: { ...update, TableName: deps.tableName } },
        ],
      },
      room,
    );
    if (sent.outcome === 'written') return event;
    const [onEvent, onState] = sent.reasons;
    if (onEvent?.Code === 'ConditionalCheckFailed') {
      const existing = await readFailedItem(deps, onEvent.Item, { pk: item.pk, sk: item.sk });
      // Only the claimant writes at a seq: anything but a tombstone is ours, its answer lost.
      return existing?.tombstone === true ? CLAIM_AGAIN : event;
    }
    const current = (await readFailedItem(deps, onState?.Item, moderationKey(room))) ?? {};
    const standings = pending.map((write) => standingOf(current, write.name, event.seq));
    if (standings.includes('unknowable')) {
      await giveUpSeq(deps, room, event.seq);
      return CLAIM_AGAIN;
    }
    pending = pending.filter((_, index) => standings[index] === 'latest');
    pruned = [];
  }
  if (pending.length > 0) {
    throw new StoreError(`could not apply moderation event ${event.seq} in "${room}"`);
  }
  // Every register it sets holds a later event's value: the event is of the log all the same.
  const put = await putIfAbsent(deps, item);
  if (!put.written && put.existing?.tombstone === true) return CLAIM_AGAIN;
  return event;
};

/**
 * The state's update: sets each register where the event is its latest (see `standingOf`), and
 * removes the pruned ones, each only while it still holds the seq it was seen with, raising the
 * floor to the event's seq.
 */
const stateUpdate = (
  room: string,
  seq: number,
  writes: RegisterWrite[],
  pruned: { name: string; seq: number }[],
) => {
  const names: Record<string, string> = { '#seq': 'seq', '#floor': FLOOR };
  const values: Record<string, unknown> = { ':seq': seq };
  const set: string[] = [];
  const conditions: string[] = [];
  writes.forEach(({ name, value }, index) => {
    names[`#r${index}`] = name;
    values[`:r${index}`] = value;
    set.push(`#r${index} = :r${index}`);
    conditions.push(
      `((attribute_exists(#r${index}) AND #r${index}.#seq < :seq) OR (attribute_not_exists(#r${index}) AND (attribute_not_exists(#floor) OR #floor < :seq)))`,
    );
  });
  const remove: string[] = [];
  if (pruned.length > 0) {
    set.push('#floor = :seq');
    conditions.push('(attribute_not_exists(#floor) OR #floor < :seq)');
    pruned.forEach(({ name, seq: held }, index) => {
      names[`#p${index}`] = name;
      values[`:p${index}`] = held;
      remove.push(`#p${index}`);
      conditions.push(`#p${index}.#seq = :p${index}`);
    });
  }
  return {
    Key: moderationKey(room),
    UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  };
};
