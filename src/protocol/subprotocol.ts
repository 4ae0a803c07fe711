/**
 * The WebSocket subprotocols of the chat (SPEC section 2). A client may offer `chat`; a browser,
 * which cannot set headers or should not put a token in a URL, offers `chat` and
 * `token.<base64url of the UTF-8 token, no padding>` beside it. `$connect` answers `chat`.
 */
export const CHAT_PROTOCOL = 'chat';

/** Prefix of the subprotocol that carries a token. */
export const TOKEN_PROTOCOL_PREFIX = 'token.';

/** The token as the subprotocol a client offers (`new WebSocket(url, ['chat', …])`). */
export const tokenProtocol = (token: string) =>
  `${TOKEN_PROTOCOL_PREFIX}${Buffer.from(token, 'utf8').toString('base64url')}`;
