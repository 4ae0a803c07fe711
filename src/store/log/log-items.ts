import { REVISION_SUFFIX } from '../dynamo/keys.js';
import { isModerationItem, toModerationEvent } from '../moderation/moderation-event.js';
import type { ModerationEvent } from '../moderation/moderation-types.js';
import type { ChatMessage } from '../types.js';

type Item = Record<string, unknown>;

/** An edit or delete event as stored: it refers to its target and never changes. */
export interface UpdateEvent {
  seq: number;
  kind: 'edit' | 'delete';
  target: number;
  sender: string;
  sentAt: string;
  /** The edit's text (an edit only; removed by an operator's purge once the target is deleted). */
  text?: string;
}

/**
 * A message's current state, kept beside it once it has updates: `rev` is the seq of the latest
 * update applied. A projection of the log's events, written with each of them.
 */
export interface Revision {
  seq: number;
  rev: number;
  text?: string;
  editedAt?: string;
  deleted?: true;
  deletedAt?: string;
  /** The seq of the delete event (below `rev` when a later edit landed first). */
  deletedSeq?: number;
}

/**
 * One seq of a room's log as stored: a message, an edit or delete event, a moderation event, or a
 * tombstone saying no event will be there.
 */
export type LogEntry =
  | { seq: number; kind: 'message'; message: ChatMessage; writtenAt: number }
  | { seq: number; kind: 'update'; update: UpdateEvent; writtenAt: number }
  | { seq: number; kind: 'moderation'; moderation: ModerationEvent; writtenAt: number }
  | { seq: number; kind: 'tombstone'; writtenAt: number };

/** The message event as stored, without its keys or its author. */
export const toMessage = (item: Item): ChatMessage => ({
  room: item.room as string,
  seq: item.seq as number,
  ...(item.id !== undefined ? { id: item.id as string } : {}),
  sender: item.sender as string,
  ...(typeof item.userId === 'string' ? { userId: item.userId } : {}),
  text: item.text as string,
  sentAt: item.sentAt as string,
});

const toUpdateEvent = (item: Item): UpdateEvent => ({
  seq: item.seq as number,
  kind: item.kind as UpdateEvent['kind'],
  target: item.target as number,
  sender: item.sender as string,
  sentAt: item.sentAt as string,
  ...(typeof item.text === 'string' ? { text: item.text } : {}),
});

/** A revision item, without its keys. */
export const toRevision = (item: Item): Revision => ({
  seq: item.seq as number,
  rev: item.rev as number,
  ...(typeof item.text === 'string' ? { text: item.text } : {}),
  ...(typeof item.editedAt === 'string' ? { editedAt: item.editedAt } : {}),
  ...(item.deleted === true ? { deleted: true as const } : {}),
  ...(typeof item.deletedAt === 'string' ? { deletedAt: item.deletedAt } : {}),
  ...(typeof item.deletedSeq === 'number' ? { deletedSeq: item.deletedSeq } : {}),
});

/** Revision items share the log's key range but are no entries of it. */
export const isRevisionItem = (item: Item) => (item.sk as string).endsWith(REVISION_SUFFIX);

/** An event item that is an edit or a delete rather than a message. */
export const isUpdateItem = (item: Item) => item.kind === 'edit' || item.kind === 'delete';

/** Who answers for a message: stored since edits exist; before, its sender's name stood for it. */
export const authorOfItem = (item: Item) =>
  typeof item.author === 'string' ? item.author : `name:${item.sender as string}`;

/**
 * A log item as a log entry. `writtenAt` is when its seq was already claimed: an event's
 * `sentAt` is stamped after the claim, a tombstone's `resolvedAt` when it was written.
 */
export const toLogEntry = (item: Item): LogEntry => {
  if (item.tombstone === true) {
    return { seq: item.seq as number, kind: 'tombstone', writtenAt: item.resolvedAt as number };
  }
  const writtenAt = Date.parse(item.sentAt as string);
  if (isModerationItem(item)) {
    return {
      seq: item.seq as number,
      kind: 'moderation',
      moderation: toModerationEvent(item),
      writtenAt,
    };
  }
  return isUpdateItem(item)
    ? { seq: item.seq as number, kind: 'update', update: toUpdateEvent(item), writtenAt }
    : { seq: item.seq as number, kind: 'message', message: toMessage(item), writtenAt };
};

/** The tombstone item for a seq whose claimant never wrote it. */
export const tombstoneItem = <K extends Item>(key: K, seq: number, now: number) => ({
  ...key,
  seq,
  tombstone: true,
  resolvedAt: now,
});
