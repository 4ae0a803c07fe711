/**
 * Sizes, in one place. The gateway's are API Gateway's WebSocket quotas: the emulator enforces them
 * and the chat stays inside them. The chat's own are what docs/protocol.md#limits promises clients.
 */

/** API Gateway's limit on one frame, in either direction. */
export const GATEWAY_FRAME_BYTES = 32 * 1024;
/** API Gateway's limit on one message a client sends, however many frames it spans. */
export const GATEWAY_MESSAGE_BYTES = 128 * 1024;
/** API Gateway's limit on the body of one `@connections` POST. */
export const GATEWAY_POST_BYTES = 128 * 1024;
/** How long API Gateway waits for a route's integration (`$connect` included) to answer. */
export const GATEWAY_INTEGRATION_TIMEOUT_MS = 29_000;

/** The most a frame the chat sends may hold: the gateway's frame, less room for the envelope. */
export const MAX_FRAME_BYTES = GATEWAY_FRAME_BYTES - 512;
/** A message's text: at most this many characters (grapheme clusters)… */
export const MAX_MESSAGE_CHARS = 4_000;
/** …and at most this many bytes of UTF-8. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** Messages a `history` request gets when it names no `limit`, and the most it may ask for. */
export const HISTORY_DEFAULT_LIMIT = 50;
export const HISTORY_MAX_LIMIT = 100;

/** Messages replayed on a fresh connect. */
export const REPLAY_LATEST = 50;
/** Most messages replayed on a resume with `since`; `hasMore` tells the client there are more. */
export const REPLAY_CAP = 1_000;

/** Distinct names a `presence` frame lists at most; `more` says when the room has others. */
export const PRESENCE_NAMES_SHOWN = 100;

/** The highest seq a room's log reaches: a seq has at most 12 digits (the store pads to them). */
export const MAX_SEQ = 999_999_999_999;
