import type { ChatMessage } from './types.js';

type Item = Record<string, unknown>;

/** One seq of a room's log as stored: a message, or a tombstone saying no message will be there. */
export type LogEntry =
  | { seq: number; kind: 'message'; message: ChatMessage; writtenAt: number }
  | { seq: number; kind: 'tombstone'; writtenAt: number };

/** The message event as stored, without its keys. */
export const toMessage = (item: Item): ChatMessage => ({
  room: item.room as string,
  seq: item.seq as number,
  ...(item.id !== undefined ? { id: item.id as string } : {}),
  sender: item.sender as string,
  text: item.text as string,
  sentAt: item.sentAt as string,
});

/**
 * A log item as a log entry. `writtenAt` is when its seq was already claimed: a message's
 * `sentAt` is stamped after the claim, a tombstone's `resolvedAt` when it was written.
 */
export const toLogEntry = (item: Item): LogEntry =>
  item.tombstone === true
    ? { seq: item.seq as number, kind: 'tombstone', writtenAt: item.resolvedAt as number }
    : {
        seq: item.seq as number,
        kind: 'message',
        message: toMessage(item),
        writtenAt: Date.parse(item.sentAt as string),
      };

/** The tombstone item for a seq whose claimant never wrote it. */
export const tombstoneItem = <K extends Item>(key: K, seq: number, now: number) => ({
  ...key,
  seq,
  tombstone: true,
  resolvedAt: now,
});
