import type { ChatMessage } from '../store/index.js';

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

export const errorFrame = (code: ErrorCode, message: string) =>
  JSON.stringify({ type: 'error', code, message });

/** API Gateway refuses frames over 32 KiB; stay clear of it with room for the envelope. */
export const MAX_FRAME_BYTES = 32 * 1024 - 512;

/**
 * Splits a page of messages into as many `history` frames as it takes to keep each under
 * 32 KiB. Always at least one frame, so an empty room still tells the client replay is done.
 */
export const historyFrames = (room: string, messages: ChatMessage[], hasMore: boolean) => {
  const envelope = (batch: string[]) =>
    `{"type":"history","room":${JSON.stringify(room)},"messages":[${batch.join(',')}],"hasMore":${hasMore}}`;
  const frames: string[] = [];
  let batch: string[] = [];
  let size = Buffer.byteLength(envelope([]));
  for (const message of messages) {
    const json = JSON.stringify(message);
    const bytes = Buffer.byteLength(json) + 1;
    if (batch.length > 0 && size + bytes > MAX_FRAME_BYTES) {
      frames.push(envelope(batch));
      batch = [];
      size = Buffer.byteLength(envelope([]));
    }
    batch.push(json);
    size += bytes;
  }
  frames.push(envelope(batch));
  return frames;
};
