import {
  CHAT_PROTOCOL,
  KEY_BYTES,
  KEY_PROTOCOL_PREFIX,
  TOKEN_PROTOCOL_PREFIX,
} from '../protocol/subprotocol.js';

/** What `$connect` carries besides the query: headers, and all values of repeated ones. */
export interface ConnectHeaders {
  headers?: Record<string, string | undefined>;
  multiValueHeaders?: Record<string, string[] | undefined>;
}

/**
 * The subprotocols the client offered, in order. Header names arrive in the client's casing;
 * a browser sends one comma-separated line, other clients may repeat the header, which only
 * `multiValueHeaders` keeps whole.
 */
export const offeredProtocols = (event: ConnectHeaders): string[] => {
  const find = <T>(record: Record<string, T | undefined> | undefined) =>
    Object.entries(record ?? {}).find(
      ([key]) => key.toLowerCase() === 'sec-websocket-protocol',
    )?.[1];
  const lines = find(event.multiValueHeaders) ?? [find(event.headers) ?? ''];
  return lines
    .flatMap((line) => line.split(','))
    .map((protocol) => protocol.trim())
    .filter(Boolean);
};

/**
 * The response headers that accept the `chat` subprotocol when the client offered it: API
 * Gateway passes `Sec-WebSocket-Protocol` from the integration's answer into the handshake, and
 * a browser that offered subprotocols fails the handshake if none comes back.
 */
export const acceptedProtocol = (event: ConnectHeaders): { headers?: Record<string, string> } =>
  offeredProtocols(event).includes(CHAT_PROTOCOL)
    ? { headers: { 'Sec-WebSocket-Protocol': CHAT_PROTOCOL } }
    : {};

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type TokenTransport = { ok: true; token?: string } | { ok: false; reason: string };

/**
 * The token from the `token.…` subprotocol. Two tokens, a token subprotocol that is not
 * base64url, or one offered without `chat` (the browser would then fail the handshake) are
 * refused, so what authenticates a connection is never ambiguous.
 */
export const tokenFrom = (event: ConnectHeaders): TokenTransport => {
  const carried = carriedBesideChat(event, TOKEN_PROTOCOL_PREFIX, 'token');
  if (!carried.ok || carried.encoded === undefined) return carried;
  const { encoded } = carried;
  const token = BASE64URL.test(encoded) ? Buffer.from(encoded, 'base64url').toString('utf8') : '';
  if (token === '' || Buffer.from(token, 'utf8').toString('base64url') !== encoded) {
    return {
      ok: false,
      reason: 'the token subprotocol must be "token." + base64url without padding',
    };
  }
  return { ok: true, token };
};

/**
 * What follows `prefix` in the one subprotocol offered with it, if any: two of them, or one
 * offered without `chat` (the browser would then fail the handshake), are refused.
 */
const carriedBesideChat = (
  event: ConnectHeaders,
  prefix: string,
  what: 'token' | 'key',
): { ok: true; encoded?: string } | { ok: false; reason: string } => {
  const offered = offeredProtocols(event);
  const carried = offered.filter((protocol) => protocol.startsWith(prefix));
  if (carried.length === 0) return { ok: true };
  if (carried.length > 1) return { ok: false, reason: `give one ${what} subprotocol, not several` };
  if (!offered.includes(CHAT_PROTOCOL)) {
    return { ok: false, reason: `offer the "${CHAT_PROTOCOL}" subprotocol beside the ${what}` };
  }
  return { ok: true, encoded: (carried[0] ?? '').slice(prefix.length) };
};

/** A key's 32 bytes in base64url without padding: 43 characters, the last one of 16. */
const KEY_BASE64URL = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

export type KeyTransport = { ok: true; key?: Buffer } | { ok: false; reason: string };

/**
 * The key from the `key.…` subprotocol, if one was offered. Two keys, a key that is not 32
 * bytes of base64url without padding, or one offered without `chat` are refused (400): the
 * client meant to prove who it is, and a connection under some other identity would lose its
 * edit and delete rights silently.
 */
export const keyFrom = (event: ConnectHeaders): KeyTransport => {
  const carried = carriedBesideChat(event, KEY_PROTOCOL_PREFIX, 'key');
  if (!carried.ok || carried.encoded === undefined) return carried;
  const key = decodeKey(carried.encoded);
  if (key === undefined) {
    return {
      ok: false,
      reason: `the key subprotocol must be "key." + base64url of ${KEY_BYTES} bytes without padding (43 characters)`,
    };
  }
  return { ok: true, key };
};

/** A key's bytes from its base64url form, or undefined when it is not exactly that. */
export const decodeKey = (encoded: string): Buffer | undefined =>
  KEY_BASE64URL.test(encoded) ? Buffer.from(encoded, 'base64url') : undefined;
