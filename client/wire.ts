import type * as v from 'valibot';
import type { WireMessage, WireUpdate } from '../src/protocol/frames.js';
import type {
  KickBody,
  LiftBody,
  RestrictBody,
  RoomSettingsBody,
} from '../src/protocol/moderation-requests.js';
import type {
  DeleteMessageBody,
  EditMessageBody,
  HistoryBody,
  SendMessageBody,
} from '../src/protocol/requests.js';

/**
 * A chat message as the server sends it: alone in a `message` frame, or in `messages`/`history`.
 * A page keeps it without its room when the frame gave none, and an `id` is whatever the sender
 * chose: the page checks every field of a frame (`isMessage`) and trusts none.
 */
export type ChatMessage = Omit<WireMessage, 'room' | 'id'> & { room?: string; id?: unknown };

/**
 * An edit or a deletion of the message at `target`: an event of the log at its own `seq`, from a
 * live `edit`/`delete` frame or a history page's `updates`.
 */
export type Update = WireUpdate;

/** A seq: a positive safe integer. */
export const isSeq = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;

const optional = (value: unknown, type: 'string' | 'boolean') =>
  value === undefined || typeof value === type;

/** A well-formed message of this room (a frame is checked, never trusted). */
export const isMessage = (m: unknown, room: string): m is ChatMessage => {
  if (!m || typeof m !== 'object') return false;
  const f = m as Record<string, unknown>;
  return (
    isSeq(f.seq) &&
    typeof f.sender === 'string' &&
    typeof f.text === 'string' &&
    typeof f.sentAt === 'string' &&
    (f.room === undefined || f.room === room) &&
    optional(f.userId, 'string') &&
    optional(f.editedAt, 'string') &&
    optional(f.deleted, 'boolean') &&
    optional(f.deletedAt, 'string')
  );
};

/** A well-formed update (an `edit`/`delete` frame, or an entry of a page's `updates`), or null. */
export const readUpdate = (u: unknown): Update | null => {
  if (!u || typeof u !== 'object') return null;
  const f = u as Record<string, unknown>;
  if (!isSeq(f.seq) || !isSeq(f.target) || f.target >= f.seq) return null;
  if (f.deleted === true) {
    const deletedAt = typeof f.deletedAt === 'string' ? f.deletedAt : '';
    return { seq: f.seq, target: f.target, deleted: true, deletedAt };
  }
  if (typeof f.text !== 'string') return null;
  const editedAt = typeof f.editedAt === 'string' ? f.editedAt : '';
  return { seq: f.seq, target: f.target, text: f.text, editedAt };
};

/** A request this page sends: each action with the body the server's schema takes. */
export type Request =
  | ({ action: 'sendmessage' } & v.InferInput<typeof SendMessageBody>)
  | ({ action: 'history' } & v.InferInput<typeof HistoryBody>)
  | ({ action: 'editmessage' } & v.InferInput<typeof EditMessageBody>)
  | ({ action: 'deletemessage' } & v.InferInput<typeof DeleteMessageBody>)
  | { action: 'who' }
  | { action: 'typing' }
  | ({ action: 'kick' } & v.InferInput<typeof KickBody>)
  | ({ action: 'ban' | 'mute' } & v.InferInput<typeof RestrictBody>)
  | ({ action: 'unban' | 'unmute' } & v.InferInput<typeof LiftBody>)
  | ({ action: 'roomsettings' } & v.InferInput<typeof RoomSettingsBody>);
