/** A chat message as the server sends it: alone in a `message` frame, or in `messages`/`history`. */
export interface ChatMessage {
  seq: number;
  sender: string;
  /** Its current text: the latest edit's, or '' once deleted. */
  text: string;
  sentAt: string;
  room?: string;
  /** Its author's public id (messages stored before identities have none). */
  userId?: string;
  /** The sender's own id for it, when the sender gave one. */
  id?: unknown;
  /** When it was last edited (ISO 8601), if ever. */
  editedAt?: string;
  deleted?: boolean;
  deletedAt?: string;
}

/**
 * An edit or a deletion of the message at `target`: an event of the log at its own `seq`, from a
 * live `edit`/`delete` frame or a history page's `updates`.
 */
export type Update =
  | { seq: number; target: number; deleted?: false; text: string; editedAt: string }
  | { seq: number; target: number; deleted: true; deletedAt: string };

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

/** A request this page sends. */
export type Request =
  | { action: 'sendmessage'; message: string; id: string }
  | { action: 'history'; before: number; limit: number }
  | { action: 'editmessage'; seq: number; message: string }
  | { action: 'deletemessage'; seq: number }
  | { action: 'who' }
  | { action: 'typing' }
  | { action: 'kick'; userId: string; reason?: string }
  | { action: 'ban' | 'mute'; userId: string; minutes?: number; reason?: string }
  | { action: 'unban' | 'unmute'; userId: string }
  | { action: 'roomsettings'; slowModeSeconds?: number; readOnly?: boolean };
