import type { ChatMessage, MessagePage } from '../store/index.js';

/** Error codes a client can receive (SPEC section 2). */
export type ErrorCode =
  | 'invalid_message'
  | 'invalid_request'
  | 'unknown_action'
  | 'rate_limited'
  | 'internal';

/** The actions a client can send; `$default` lists them in its answer. */
export const ACTIONS = ['sendmessage', 'history'] as const;

export const messageFrame = (message: ChatMessage) =>
  JSON.stringify({ type: 'message', ...message });

/** What an error may add: the action it refuses, and when a refused request may be sent again. */
export interface ErrorDetail {
  action?: (typeof ACTIONS)[number];
  retryAfterMs?: number;
}

export const errorFrame = (code: ErrorCode, message: string, detail: ErrorDetail = {}) =>
  JSON.stringify({ type: 'error', code, message, ...detail });

/** API Gateway refuses frames over 32 KiB; stay clear of it with room for the envelope. */
export const MAX_FRAME_BYTES = 32 * 1024 - 512;

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
export const historyFrames = (room: string, page: MessagePage, echo: HistoryEcho = {}) => {
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
    const json = JSON.stringify(message);
    add(Buffer.byteLength(json) + 1, () => messages.push(json));
  }
  for (const seq of pending) add(String(seq).length + 1, () => skipped.push(seq));
  frames.push(envelope(messages, skipped));
  return frames;
};
