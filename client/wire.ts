/** A chat message as the server sends it: alone in a `message` frame, or in a `history` frame. */
export interface ChatMessage {
  seq: number;
  sender: string;
  text: string;
  sentAt: string;
  room?: string;
  /** The sender's own id for it, when the sender gave one. */
  id?: unknown;
}

/** A seq: a positive safe integer. */
export const isSeq = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;

/** A well-formed message of this room (a frame is checked, never trusted). */
export const isMessage = (m: unknown, room: string): m is ChatMessage => {
  if (!m || typeof m !== 'object') return false;
  const f = m as Record<string, unknown>;
  return (
    isSeq(f.seq) &&
    typeof f.sender === 'string' &&
    typeof f.text === 'string' &&
    typeof f.sentAt === 'string' &&
    (f.room === undefined || f.room === room)
  );
};

/** A request this page sends. */
export type Request =
  | { action: 'sendmessage'; message: string; id: string }
  | { action: 'history'; before: number; limit: number };
