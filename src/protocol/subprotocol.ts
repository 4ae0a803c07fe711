/**
 * The WebSocket subprotocols of the chat (docs/protocol.md#subprotocols). A client may offer
 * `chat`; a browser, which cannot set headers or should not put a token in a URL, offers `chat` and
 * `token.<base64url of the UTF-8 token, no padding>` beside it, and may offer its key as
 * `key.<base64url of 32 bytes, no padding>` (docs/identity-and-moderation.md). `$connect` answers
 * `chat`.
 */
export const CHAT_PROTOCOL = 'chat';

/** Prefix of the subprotocol that carries a token. */
export const TOKEN_PROTOCOL_PREFIX = 'token.';

/** The token as the subprotocol a client offers (`new WebSocket(url, ['chat', …])`). */
export const tokenProtocol = (token: string) =>
  `${TOKEN_PROTOCOL_PREFIX}${Buffer.from(token, 'utf8').toString('base64url')}`;

/** Prefix of the subprotocol that carries a connection's key: who owns what it sends. */
export const KEY_PROTOCOL_PREFIX = 'key.';

/** Bytes of a key: 256 random bits, 43 base64url characters without padding. */
export const KEY_BYTES = 32;

/** The key as the subprotocol a client offers beside `chat`. */
export const keyProtocol = (key: Uint8Array) =>
  `${KEY_PROTOCOL_PREFIX}${Buffer.from(key).toString('base64url')}`;
