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
export const isMessage = (id: string) => (frame: Frame) =>
  frame.type === 'message' && frame.id === id;
/** Who is in the room and typing: sent as others come and go, whenever they do. */
export const isPresence = (frame: Frame) =>
  ['presence', 'join', 'leave', 'occupancy', 'typing'].includes(frame.type as string);

/** The seqs a history frame carries, in order. */
export const seqsOf = (frame: Frame) => ((frame.messages ?? []) as Message[]).map((m) => m.seq);

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
