import type { Frame } from './client.js';

/** A chat message as frames carry it. */
export interface Message {
  seq: number;
  id?: string;
  sender: string;
  text: string;
}

/** Frame matchers for `SmokeClient.take`. */
export const isHistory = (frame: Frame) => frame.type === 'history';
export const isError = (code: string) => (frame: Frame) =>
  frame.type === 'error' && frame.code === code;
/** The sender's own `message` frame, its acknowledgement: the only one that carries its `id`. */
export const isAcknowledgement = (id: string) => (frame: Frame) =>
  frame.type === 'message' && frame.id === id;
/** A message as the rest of the room gets it: known by its seq (it carries no `id`). */
export const isMessageAt = (seq: number) => (frame: Frame) =>
  frame.type === 'message' && frame.seq === seq;
/** Who the connection is and what it may do: the first frame of every connection. */
export const isSession = (frame: Frame) => frame.type === 'session';
/** Who is in the room and typing: sent as others come and go, whenever they do. */
export const isPresence = (frame: Frame) =>
  ['presence', 'join', 'leave', 'occupancy', 'typing'].includes(frame.type as string);

/** The seqs a history frame carries, in order. */
export const seqsOf = (frame: Frame) => ((frame.messages ?? []) as Message[]).map((m) => m.seq);

/** The client ids a history frame carries: none, since an id goes back to its author only. */
export const idsOf = (frame: Frame) =>
  ((frame.messages ?? []) as Message[]).flatMap((m) => (m.id === undefined ? [] : [m.id]));

/** Throws with both values shown unless they are equal as JSON. */
export const expectEqual = (actual: unknown, expected: unknown, what: string) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
};

/** Throws with `what` unless the condition holds. */
export const expectTrue = (condition: boolean, what: string) => {
  if (!condition) throw new Error(what);
};
