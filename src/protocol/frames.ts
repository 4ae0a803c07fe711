import { MAX_FRAME_BYTES } from './limits.js';
import type { Action } from './routes.js';

/** A message as clients receive it (SPEC section 2), in a `message` frame or a `history` page. */
export interface WireMessage {
  room: string;
  seq: number;
  id?: string | undefined;
  sender: string;
  text: string;
  /** ISO 8601. */
  sentAt: string;
}

/** A page of a room's log as a `history` frame carries it. */
export interface WirePage {
  /** Ascending by seq. */
  messages: readonly WireMessage[];
  /** Seqs in the range read that hold no message and never will, ascending. */
  skipped: readonly number[];
  /** More messages exist beyond this page in the direction read. */
  hasMore: boolean;
}

/** The wire's fields of a message, in the wire's order: whatever else its source holds stays behind. */
const wireFields = ({ room, seq, id, sender, text, sentAt }: WireMessage): WireMessage =>
  id === undefined ? { room, seq, sender, text, sentAt } : { room, seq, id, sender, text, sentAt };

/** Error codes a client can receive (SPEC section 2). */
export type ErrorCode =
  | 'invalid_message'
  | 'invalid_request'
  | 'unknown_action'
  | 'rate_limited'
  | 'internal';

export const messageFrame = (message: WireMessage) =>
  JSON.stringify({ type: 'message', ...wireFields(message) });

/** What an error may add: the action it refuses, and when a refused request may be sent again. */
export interface ErrorDetail {
  action?: Action;
  retryAfterMs?: number;
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
 * a resolved seq from one still missing. Always at least one frame, so an empty room still tells
 * the client replay is done.
 */
export const historyFrames = (room: string, page: WirePage, echo: HistoryEcho = {}) => {
  const head = `{"type":"history","room":${JSON.stringify(room)},"messages":[`;
  const tail = `,"hasMore":${page.hasMore}${echo.before === undefined ? '' : `,"before":${echo.before}`}}`;
  const envelope = (messages: string[], skipped: number[]) =>
    `${head}${messages.join(',')}]${skipped.length ? `,"skipped":[${skipped.join(',')}]` : ''}${tail}`;
  const empty = Buffer.byteLength(envelope([], [0])) - 1;
  const frames: string[] = [];
  let messages: string[] = [];
  let skipped: number[] = [];
  let size = empty;
  const add = (bytes: number, put: () => void) => {
    if ((messages.length > 0 || skipped.length > 0) && size + bytes > MAX_FRAME_BYTES) {
      frames.push(envelope(messages, skipped));
      messages = [];
      skipped = [];
      size = empty;
    }
    put();
    size += bytes;
  };
  const pending = [...page.skipped];
  for (const message of page.messages) {
    while (pending.length > 0 && (pending[0] as number) < message.seq) {
      const seq = pending.shift() as number;
      add(String(seq).length + 1, () => skipped.push(seq));
    }
    const json = JSON.stringify(wireFields(message));
    add(Buffer.byteLength(json) + 1, () => messages.push(json));
  }
  for (const seq of pending) add(String(seq).length + 1, () => skipped.push(seq));
  frames.push(envelope(messages, skipped));
  return frames;
};
