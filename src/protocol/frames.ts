import { MAX_FRAME_BYTES } from './limits.js';
import { moderationFields, type WireModeration } from './moderation-frames.js';
import type { Action } from './routes.js';
import { utf8Length } from './utf8-length.js';

/**
 * A message as clients receive it (docs/protocol.md#server-to-client), in a `message` frame or a
 * `history` page.
 */
export interface WireMessage {
  room: string;
  seq: number;
  id?: string | undefined;
  sender: string;
  /** Its author's public id; absent on messages stored before identities. */
  userId?: string | undefined;
  text: string;
  /** ISO 8601. */
  sentAt: string;
  /** When it was last edited (ISO 8601): `text` is the latest edit's. */
  editedAt?: string | undefined;
  /** Deleted by its author: `text` is empty. */
  deleted?: true | undefined;
  deletedAt?: string | undefined;
}

/**
 * An edit or delete event of the log (its own `seq`, the message it changed as `target`),
 * rendered from the target's current state: a deleted target's edits read as its deletion.
 */
export type WireUpdate =
  | { seq: number; target: number; text: string; editedAt: string; deleted?: undefined }
  | { seq: number; target: number; deleted: true; deletedAt: string };

/** A page of a room's log as a `history` frame carries it. */
export interface WirePage {
  /** Ascending by seq. */
  messages: readonly WireMessage[];
  /** Seqs in the range read that hold no message and never will, ascending. */
  skipped: readonly number[];
  /** Edit and delete events in the range, ascending; absent when there are none. */
  updates?: readonly WireUpdate[] | undefined;
  /** Moderation events in the range, ascending; absent when there are none. */
  moderation?: readonly WireModeration[] | undefined;
  /** More messages exist beyond this page in the direction read. */
  hasMore: boolean;
  /**
   * The log's identity, when it began (ISO 8601; see `logIdentity`): absent while the room has
   * never had a message.
   */
  log?: string | undefined;
}

/**
 * A log's identity on the wire, from when it began (epoch ms): a log started again in the room's
 * place (its seqs from 1 again) has another, so a client knows the seqs it holds mean nothing now.
 */
export const logIdentity = (created: number | undefined) =>
  created === undefined ? undefined : new Date(created).toISOString();

/** The wire's fields of a message, in the wire's order: whatever else its source holds stays behind. */
const wireFields = (message: WireMessage): WireMessage => {
  const { room, seq, id, sender, userId, text, sentAt, editedAt, deleted, deletedAt } = message;
  return {
    room,
    seq,
    ...(id === undefined ? {} : { id }),
    sender,
    ...(userId === undefined ? {} : { userId }),
    text,
    sentAt,
    ...(editedAt === undefined ? {} : { editedAt }),
    ...(deleted ? { deleted, deletedAt } : {}),
  };
};

/** An update's fields in the wire's order. */
const updateFields = (update: WireUpdate): WireUpdate =>
  update.deleted
    ? { seq: update.seq, target: update.target, deleted: true, deletedAt: update.deletedAt }
    : { seq: update.seq, target: update.target, text: update.text, editedAt: update.editedAt };

/** Error codes a client can receive (docs/protocol.md#error-codes). */
export type ErrorCode =
  | 'invalid_message'
  | 'invalid_request'
  | 'unknown_action'
  | 'rate_limited'
  | 'forbidden'
  | 'not_found'
  /** Sent just before the server closes a connection that kept sending far over its budget. */
  | 'flooding'
  /** Sent just before the server closes a connection a moderator kicked out of the room. */
  | 'kicked'
  /** Sent just before the server closes a connection of someone banned from the room. */
  | 'banned'
  /** The message review hook refused a message or an edit: nothing was stored. */
  | 'rejected'
  | 'internal';

/** A message as its author gets it (the send's acknowledgement, a retry's answer): with its `id`. */
export const messageFrame = (message: WireMessage) =>
  JSON.stringify({ type: 'message', ...wireFields(message) });

/**
 * A new message as the rest of the room gets it: without its client `id`, which only its author
 * may know (a resend of an id must tell nobody else anything about its message).
 */
export const roomMessageFrame = ({ id: _id, ...message }: WireMessage) => messageFrame(message);

/**
 * New messages as a member of a busy room gets them together
 * (docs/protocol.md#busy-rooms-messages-in-batches): one `messages` frame, or a `message` frame
 * when there is only one. Without client ids, like `roomMessageFrame`.
 */
export const batchFrame = (room: string, messages: readonly WireMessage[]) => {
  if (messages.length === 1) return roomMessageFrame(messages[0] as WireMessage);
  const entries = messages.map(({ id: _id, ...message }) => JSON.stringify(wireFields(message)));
  return `{"type":"messages","room":${JSON.stringify(room)},"messages":[${entries.join(',')}]}`;
};

/**
 * Splits new messages (ascending) into runs whose `batchFrame` stays under 32 KiB; any part of a
 * run fits too.
 */
export const batchRuns = (room: string, messages: readonly WireMessage[]) => {
  const envelope = utf8Length(batchFrame(room, []));
  const runs: WireMessage[][] = [];
  let run: WireMessage[] = [];
  let size = envelope;
  for (const message of messages) {
    const { id: _id, ...rest } = message;
    const bytes = utf8Length(JSON.stringify(wireFields(rest))) + 1;
    if (run.length > 0 && size + bytes > MAX_FRAME_BYTES) {
      runs.push(run);
      run = [];
      size = envelope;
    }
    run.push(message);
    size += bytes;
  }
  if (run.length > 0) runs.push(run);
  return runs;
};

/** A live edit: to everyone in the room, its author included (that is the author's acknowledgement). */
export const editFrame = (room: string, update: Extract<WireUpdate, { text: string }>) =>
  JSON.stringify({ type: 'edit', room, ...updateFields(update) });

/** A live deletion, to everyone in the room; or to its author alone when it had happened before. */
export const deleteFrame = (room: string, update: Extract<WireUpdate, { deleted: true }>) =>
  JSON.stringify({ type: 'delete', room, ...updateFields(update) });

/** The live frame of an update, by what it is. */
export const updateFrame = (room: string, update: WireUpdate) =>
  update.deleted ? deleteFrame(room, update) : editFrame(room, update);

/** What an error may add: the action it refuses, and when a refused request may be sent again. */
export interface ErrorDetail {
  action?: Action;
  retryAfterMs?: number;
  /** When a ban or mute that refused the frame ends (ISO 8601). */
  until?: string;
  /** The client's id of the message refused, when it gave one. */
  id?: string;
}

export const errorFrame = (code: ErrorCode, message: string, detail: ErrorDetail = {}) =>
  JSON.stringify({ type: 'error', code, message, ...detail });

/** What a `history` frame answers: a `history` request's `before` is echoed, a replay has none. */
export interface HistoryEcho {
  before?: number | undefined;
}

/**
 * Splits a page of the log into as many `history` frames as it takes to keep each under 32 KiB,
 * in seq order. Seqs that hold no message and never will go in `skipped`, so a client can tell
 * a resolved seq from one still missing; edit and delete events go in `updates`, moderation
 * events in `moderation`. Every frame names the log (`log`). Always at least one frame, so an
 * empty room still tells the client replay is done.
 */
export const historyFrames = (room: string, page: WirePage, echo: HistoryEcho = {}) => {
  const log = page.log === undefined ? '' : `,"log":${JSON.stringify(page.log)}`;
  const head = `{"type":"history","room":${JSON.stringify(room)}${log},"messages":[`;
  const tail = `,"hasMore":${page.hasMore}${echo.before === undefined ? '' : `,"before":${echo.before}`}}`;
  const envelope = (
    messages: string[],
    skipped: number[],
    updates: string[],
    moderation: string[],
  ) =>
    `${head}${messages.join(',')}]${skipped.length ? `,"skipped":[${skipped.join(',')}]` : ''}${
      updates.length ? `,"updates":[${updates.join(',')}]` : ''
    }${moderation.length ? `,"moderation":[${moderation.join(',')}]` : ''}${tail}`;
  const empty = utf8Length(envelope([], [0], ['0'], ['0'])) - 3;
  const frames: string[] = [];
  let messages: string[] = [];
  let skipped: number[] = [];
  let updates: string[] = [];
  let moderation: string[] = [];
  let size = empty;
  const add = (bytes: number, put: () => void) => {
    const held = messages.length + skipped.length + updates.length + moderation.length;
    if (held > 0 && size + bytes > MAX_FRAME_BYTES) {
      frames.push(envelope(messages, skipped, updates, moderation));
      messages = [];
      skipped = [];
      updates = [];
      moderation = [];
      size = empty;
    }
    put();
    size += bytes;
  };
  // Every entry in seq order, so that each frame holds a contiguous run of the log.
  const entries: { seq: number; put: () => [number, () => void] }[] = [
    ...page.messages.map((message) => ({
      seq: message.seq,
      put: (): [number, () => void] => {
        const json = JSON.stringify(wireFields(message));
        return [utf8Length(json) + 1, () => messages.push(json)];
      },
    })),
    ...page.skipped.map((seq) => ({
      seq,
      put: (): [number, () => void] => [String(seq).length + 1, () => skipped.push(seq)],
    })),
    ...(page.updates ?? []).map((update) => ({
      seq: update.seq,
      put: (): [number, () => void] => {
        const json = JSON.stringify(updateFields(update));
        return [utf8Length(json) + 1, () => updates.push(json)];
      },
    })),
    ...(page.moderation ?? []).map((event) => ({
      seq: event.seq,
      put: (): [number, () => void] => {
        const json = JSON.stringify(moderationFields(event));
        return [utf8Length(json) + 1, () => moderation.push(json)];
      },
    })),
  ].sort((a, b) => a.seq - b.seq);
  for (const entry of entries) add(...entry.put());
  frames.push(envelope(messages, skipped, updates, moderation));
  return frames;
};
